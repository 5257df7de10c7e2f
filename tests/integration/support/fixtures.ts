// Test data straight through Prisma (the domain functions under test do their own policy checks).
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { setVault } from '../../../lib/credentials/vault';
import { db } from '../../../lib/db';
import { systemActor, type Actor } from '../../../lib/auth/policy';
import type { RequestContext } from '../../../lib/context';

export const uid = () => randomBytes(4).toString('hex');

export function ctxOf(actor: Actor | null): RequestContext {
  return { actor, clientAddress: '127.0.0.1' };
}

export const staff = (): RequestContext => ctxOf(systemActor('test-admin'));
export const reviewer = (): RequestContext =>
  ctxOf({
    id: '00000000-0000-4000-8000-000000000001',
    email: 'rev@test',
    name: 'rev',
    role: 'reviewer',
    organizationIds: [],
  });
export const cspOf = (orgId: string, id = '00000000-0000-4000-8000-000000000002'): RequestContext =>
  ctxOf({ id, email: 'csp@test', name: 'csp', role: 'csp', organizationIds: [orgId] });

/** The users behind reviewer() and cspOf() (audit events reference real users). */
export async function ensureTestUsers(): Promise<void> {
  for (const [id, email, role] of [
    ['00000000-0000-4000-8000-000000000001', 'rev@test', 'reviewer'],
    ['00000000-0000-4000-8000-000000000002', 'csp@test', 'csp'],
  ] as const) {
    await db.user.upsert({ where: { id }, create: { id, email, role }, update: {} });
  }
}

export async function makeOrg(opts: { contactEmails?: string[] } = {}) {
  const u = uid();
  return db.organization.create({
    data: { slug: `org-${u}`, name: `Org ${u}`, contactEmails: opts.contactEmails ?? [] },
  });
}

export async function makeCloud(
  organizationId: string,
  opts: { schedule?: 'off' | 'hourly' | 'daily' | 'weekly'; contactEmails?: string[]; slug?: string } = {},
) {
  const u = uid();
  return db.cloud.create({
    data: {
      slug: opts.slug ?? `cloud-${u}`,
      name: `Cloud ${u}`,
      organizationId,
      schedule: opts.schedule ?? 'off',
      contactEmails: opts.contactEmails ?? [],
    },
  });
}

export async function makeUser(role: 'admin' | 'reviewer' | 'csp', orgId?: string) {
  const u = uid();
  const user = await db.user.create({ data: { email: `${role}-${u}@test.example`, role } });
  if (orgId) await db.membership.create({ data: { userId: user.id, organizationId: orgId } });
  return user;
}

export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
  stepMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * A vault for this test file (an env KEK), so webhook secrets and credentials are sealed without a
 * key file in the working directory; worker processes the file spawns get the same variables.
 */
export function isolatedVault(): Record<string, string> {
  const env = { KEK_PROVIDER: 'env', KEK_BASE64: randomBytes(32).toString('base64') };
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  setVault(undefined);
  afterAll(() => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    setVault(undefined);
  });
  return env;
}
