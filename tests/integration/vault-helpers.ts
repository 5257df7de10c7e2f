import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Actor } from '../../lib/auth/policy';
import type { RequestContext } from '../../lib/context';

/** The run's PostgreSQL (tests/integration/global-setup.ts provides it). */
export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error(
      'DATABASE_URL is not set: run with `npx vitest run --project integration` (tests/integration/global-setup.ts starts PostgreSQL)',
    );
  return url;
}

export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(d, 0o755);
  return d;
}

export async function makeCloud(label = crypto.randomBytes(3).toString('hex')) {
  const { db } = await import('../../lib/db');
  const org = await db.organization.create({ data: { slug: `org-${label}`, name: `Org ${label}` } });
  const cloud = await db.cloud.create({
    data: { slug: `cloud-${label}`, name: `Cloud ${label}`, organizationId: org.id, region: 'RegionOne' },
  });
  return { org, cloud };
}

export async function makeUser(role: Actor['role'], organizationIds: string[] = []): Promise<Actor> {
  const { db } = await import('../../lib/db');
  const email = `${role}-${crypto.randomBytes(3).toString('hex')}@example.test`;
  const u = await db.user.create({
    data: {
      email,
      name: email,
      role,
      memberships: { create: organizationIds.map((organizationId) => ({ organizationId })) },
    },
  });
  return { id: u.id, email, name: email, role, organizationIds };
}

export const ctxOf = (actor: Actor | null): RequestContext => ({ actor, clientAddress: '127.0.0.1' });
