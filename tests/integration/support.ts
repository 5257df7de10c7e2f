import { inject } from 'vitest';
import crypto from 'node:crypto';

declare module 'vitest' {
  interface ProvidedContext {
    databaseUrl: string;
  }
}

// The database of global-setup.ts; set before lib/db is first used (its client is created lazily).
process.env.DATABASE_URL = inject('databaseUrl');

const { db } = await import('../../lib/db');
const { loadActor } = await import('../../lib/users');
import type { RequestContext } from '../../lib/context';
import { sampleStatement } from '../fixtures/attestation-files';

export { db };

export function uniq(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
}

export async function makeOrg(name = uniq('org')) {
  return db.organization.create({ data: { slug: name, name: `Org ${name}` } });
}

export async function makeCloud(organizationId: string, slug = uniq('cloud')) {
  return db.cloud.create({ data: { slug, name: `Cloud ${slug}`, organizationId } });
}

export async function makeUser(role: 'admin' | 'reviewer' | 'csp', organizationIds: string[] = []) {
  const u = await db.user.create({ data: { email: `${uniq(role)}@it.example`, name: `${role} user`, role } });
  for (const organizationId of organizationIds) await db.membership.create({ data: { userId: u.id, organizationId } });
  return u;
}

export async function ctxOf(userId: string, clientAddress = '192.0.2.10'): Promise<RequestContext> {
  const actor = await loadActor(userId);
  if (!actor) throw new Error('no actor');
  return { actor, clientAddress };
}

export const anonymous: RequestContext = { actor: null, clientAddress: null };

/** A world: org A with a cloud, a CSP of A, a CSP of another org B, a reviewer. */
export async function makeWorld() {
  const orgA = await makeOrg();
  const orgB = await makeOrg();
  const cloud = await makeCloud(orgA.id);
  const csp = await ctxOf((await makeUser('csp', [orgA.id])).id);
  const cspB = await ctxOf((await makeUser('csp', [orgB.id])).id);
  const reviewer = await ctxOf((await makeUser('reviewer')).id);
  return { orgA, orgB, cloud, csp, cspB, reviewer };
}

export const completeStatement = sampleStatement;

export async function count(table: string): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}"`);
  return Number(rows[0].n);
}
