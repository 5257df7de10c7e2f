// The integration tests' fixtures, in one module (tests/multi-instance uses them too). Test data goes
// straight through Prisma, without audit events (the domain functions under test do their own policy
// checks). Every slug carries a random suffix: all test files share the run's one database
// (global-setup.ts) and never depend on each other's rows.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { setVault } from '../../../lib/credentials/vault';
import { db } from '../../../lib/db';
import { PolicyError, systemActor, type Actor, type Role } from '../../../lib/auth/policy';
import type { RequestContext } from '../../../lib/context';
import { AppError } from '../../../lib/errors';
import { loadActor } from '../../../lib/users';

/** A short unique suffix (8 hex digits). */
export const uid = (): string => randomBytes(4).toString('hex');

// ---- request contexts

/** A request by this actor (null: anonymous), from a documentation address unless the test names one. */
export function ctxOf(actor: Actor | null, clientAddress: string | null = '192.0.2.10'): RequestContext {
  return { actor, clientAddress };
}

/** Staff without a user row (the admin CLI's kind of actor), for tests that only need someone allowed. */
export const staff = (): RequestContext => ctxOf(systemActor('test-admin'));

// Two fixed users for tests that need a context but no particular user (ensureTestUsers creates their
// rows, which audit events reference): a reviewer, and a CSP user whose actor names the organization
// (the policy reads the actor) though no membership row exists: it is no recipient of the
// organization's notifications.
const REVIEWER_ID = '00000000-0000-4000-8000-000000000001';
const CSP_ID = '00000000-0000-4000-8000-000000000002';
export const reviewer = (): RequestContext =>
  ctxOf({ id: REVIEWER_ID, email: 'rev@test', name: 'rev', role: 'reviewer', organizationIds: [] });
export const cspOf = (orgId: string, id = CSP_ID): RequestContext =>
  ctxOf({ id, email: 'csp@test', name: 'csp', role: 'csp', organizationIds: [orgId] });

/** The users behind reviewer() and cspOf(). */
export async function ensureTestUsers(): Promise<void> {
  for (const [id, email, role] of [
    [REVIEWER_ID, 'rev@test', 'reviewer'],
    [CSP_ID, 'csp@test', 'csp'],
  ] as const) {
    await db.user.upsert({ where: { id }, create: { id, email, role }, update: {} });
  }
}

// ---- rows

/**
 * A user row with memberships of these organizations, and its actor as loadActor sees it (an inactive
 * user, whom loadActor refuses, gets the actor it would have had).
 */
export async function makeUser(
  role: Role,
  organizationIds: string[] = [],
  opts: { email?: string; active?: boolean } = {},
): Promise<Actor> {
  const u = await db.user.create({
    data: {
      email: opts.email ?? `${role}-${uid()}@example.test`,
      name: `${role} user`,
      role,
      active: opts.active ?? true,
      memberships: { create: organizationIds.map((organizationId) => ({ organizationId })) },
    },
  });
  return (await loadActor(u.id)) ?? { id: u.id, email: u.email, name: u.name, role, organizationIds };
}

/** An organization: slug `${prefix}-<uid>` (prefix "org"), or exactly `slug` when a test searches for it. */
export async function makeOrg(opts: { prefix?: string; slug?: string; contactEmails?: string[] } = {}) {
  const slug = opts.slug ?? `${opts.prefix ?? 'org'}-${uid()}`;
  return db.organization.create({ data: { slug, name: `Org ${slug}`, contactEmails: opts.contactEmails ?? [] } });
}

/**
 * A cloud of this organization: slug as makeOrg's (prefix "cloud"). Its schedule is off unless the test
 * asks for one, so a scheduler tick of another test file (runs-schedule.test.ts ticks over every cloud)
 * never starts runs on it.
 */
export async function makeCloud(
  organizationId: string,
  opts: {
    prefix?: string;
    slug?: string;
    schedule?: 'off' | 'hourly' | 'daily' | 'weekly';
    contactEmails?: string[];
  } = {},
) {
  const slug = opts.slug ?? `${opts.prefix ?? 'cloud'}-${uid()}`;
  return db.cloud.create({
    data: {
      slug,
      name: `Cloud ${slug}`,
      organizationId,
      schedule: opts.schedule ?? 'off',
      contactEmails: opts.contactEmails ?? [],
    },
  });
}

/**
 * Revision 1 of a cloud's attestation as an approval leaves it (the manual testcase PASS until
 * `expiresAt`), written directly: for tests about verdicts, not about the review itself.
 */
export async function approvedAttestation(cloudId: string, approvedAt: Date, expiresAt: Date) {
  return db.attestation.create({
    data: {
      cloudId,
      revision: 1,
      state: 'approved',
      standard: 'scs-0116-v1',
      statement: {},
      createdByLabel: 'test',
      submittedAt: approvedAt,
      decidedAt: approvedAt,
      approvedAt,
      expiresAt,
    },
  });
}

/** A world for attestation and timeline tests: org A with a cloud, a CSP of A, a CSP of another org B, a reviewer. */
export async function makeWorld() {
  const orgA = await makeOrg();
  const orgB = await makeOrg();
  const cloud = await makeCloud(orgA.id);
  const csp = ctxOf(await makeUser('csp', [orgA.id]));
  const cspB = ctxOf(await makeUser('csp', [orgB.id]));
  const reviewer = ctxOf(await makeUser('reviewer'));
  return { orgA, orgB, cloud, csp, cspB, reviewer };
}

/** Rows in a table (a fixed name from the test, never input), to show that a refused write left none behind. */
export async function count(table: string): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}"`);
  return Number(rows[0].n);
}

/** The audit events about this target (a slug, an id), oldest first. */
export function auditEvents(targetId: string) {
  return db.auditEvent.findMany({ where: { targetId }, orderBy: { id: 'asc' } });
}

// ---- refusals

/** Runs p and returns what it threw (fails the test when it did not throw). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  expect.unreachable('expected a rejection');
}

export async function expectPolicy(
  p: Promise<unknown>,
  decision: 'unauthenticated' | 'hidden' | 'forbidden',
): Promise<void> {
  const err = await rejection(p);
  expect(err).toBeInstanceOf(PolicyError);
  expect((err as PolicyError).decision).toBe(decision);
}

export async function expectAppError(p: Promise<unknown>, status: number, code?: string): Promise<AppError> {
  const err = await rejection(p);
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
  if (code) expect((err as AppError).code).toBe(code);
  return err as AppError;
}

// ---- processes, files and time

/** The run's PostgreSQL (tests/integration/global-setup.ts starts it; setup.ts sets the variable). */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'DATABASE_URL is not set: run with `npx vitest run --project integration` (tests/integration/global-setup.ts starts PostgreSQL)',
    );
  return url;
}

/** A fresh directory under os.tmpdir() (mode 0755, like global-setup.ts's data directory). */
export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(d, 0o755);
  return d;
}

/** Polls fn until it returns something truthy (every wait is for a condition, never a fixed sleep). */
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
