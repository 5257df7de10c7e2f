import crypto from 'node:crypto';
import { expect } from 'vitest';
import { db } from '@/lib/db';
import type { Actor, Role } from '@/lib/auth/policy';
import type { RequestContext } from '@/lib/context';
import { PolicyError } from '@/lib/auth/policy';
import { AppError } from '@/lib/errors';
import { loadActor } from '@/lib/users';

/** A short unique suffix, so tests never depend on each other's data. */
export function uid(): string {
  return crypto.randomBytes(4).toString('hex');
}

/** A user row straight in the database (no audit event), and its actor as loadActor sees it. */
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

export async function makeOrganization(prefix = 'org'): Promise<{ id: string; slug: string }> {
  return db.organization.create({
    data: { slug: `${prefix}-${uid()}`, name: `Org ${uid()}` },
    select: { id: true, slug: true },
  });
}

export async function makeCloud(organizationId: string, prefix = 'cloud'): Promise<{ id: string; slug: string }> {
  return db.cloud.create({
    data: { slug: `${prefix}-${uid()}`, name: `Cloud ${uid()}`, organizationId },
    select: { id: true, slug: true },
  });
}

export function ctxOf(actor: Actor | null, clientAddress: string | null = '192.0.2.10'): RequestContext {
  return { actor, clientAddress };
}

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

export function auditEvents(targetId: string) {
  return db.auditEvent.findMany({ where: { targetId }, orderBy: { id: 'asc' } });
}
