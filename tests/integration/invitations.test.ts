import crypto from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { verifyPassword } from '@/lib/auth/password';
import {
  acceptInvitation,
  createInvitation,
  findOpenInvitation,
  INVITATION_DAYS,
  loadActor,
  revokeInvitation,
} from '@/lib/users';
import { auditEvents, ctxOf, expectAppError, expectPolicy, makeOrg, makeUser, uid } from './support/fixtures';

const DAY = 86_400_000;
const PASSWORD = 'a long enough password';

async function invite(now = new Date()) {
  const admin = await makeUser('admin');
  const org = await makeOrg();
  const email = `invitee-${uid()}@example.test`;
  const inv = await createInvitation(ctxOf(admin), { email: email.toUpperCase(), organization: org.slug }, now);
  return { admin, org, email, inv };
}

describe('invitations', () => {
  test('an admin invites; the token is returned once and stored only as its hash; one event', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const { admin, org, email, inv } = await invite(now);
    expect(inv).toMatchObject({ email, organization: org.slug });
    expect(inv.expiresAt.getTime()).toBe(now.getTime() + INVITATION_DAYS * DAY);
    expect(INVITATION_DAYS).toBe(7);
    const row = await db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(row.tokenHash).toBe(crypto.createHash('sha256').update(inv.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(inv.token);
    expect(row.createdById).toBe(admin.id);
    const events = await auditEvents(email);
    expect(events.map((e) => e.action)).toEqual(['invitation.create']);
    expect(JSON.stringify(events, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(inv.token);
  });

  test('only admins invite', async () => {
    const org = await makeOrg();
    for (const actor of [await makeUser('reviewer'), await makeUser('csp', [org.id])]) {
      await expectPolicy(
        createInvitation(ctxOf(actor), { email: `x-${uid()}@example.test`, organization: org.slug }),
        'forbidden',
      );
    }
    await expectPolicy(
      createInvitation(ctxOf(null), { email: `x-${uid()}@example.test`, organization: org.slug }),
      'unauthenticated',
    );
  });

  test('invalid input, unknown organization, and an existing account are refused', async () => {
    const admin = await makeUser('admin');
    const org = await makeOrg();
    const bad = await expectAppError(createInvitation(ctxOf(admin), { email: 'nope', organization: org.slug }), 422);
    expect(Object.keys(bad.fields!)).toEqual(['email']);
    const noOrg = await expectAppError(
      createInvitation(ctxOf(admin), { email: `x-${uid()}@example.test`, organization: `missing-${uid()}` }),
      422,
    );
    expect(Object.keys(noOrg.fields!)).toEqual(['organization']);
    const existing = await db.user.create({
      data: { email: `has-${uid()}@example.test`, passwordHash: 'scrypt$x', role: 'csp' },
    });
    await expectAppError(
      createInvitation(ctxOf(admin), { email: existing.email, organization: org.slug }),
      409,
      'conflict',
    );
  });

  test('valid for exactly 7 days: open 1 ms before expiry, closed at expiry', async () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const { inv } = await invite(now);
    const expiry = now.getTime() + 7 * DAY;
    expect(await findOpenInvitation(inv.token, new Date(now.getTime() + DAY))).not.toBeNull();
    expect(await findOpenInvitation(inv.token, new Date(expiry - 1))).toMatchObject({ email: inv.email });
    expect(await findOpenInvitation(inv.token, new Date(expiry))).toBeNull();
    await expectAppError(
      acceptInvitation(ctxOf(null), inv.token, { name: 'Late', password: PASSWORD }, new Date(expiry)),
      410,
      'invitation_invalid',
    );
    expect(await db.user.findUnique({ where: { email: inv.email } })).toBeNull();
    // ...and accepting just before the boundary works.
    await acceptInvitation(ctxOf(null), inv.token, { name: 'Just in time', password: PASSWORD }, new Date(expiry - 1));
  });

  test('accepting creates a csp user with the password and the membership, and writes one event', async () => {
    const { org, email, inv } = await invite();
    expect(
      await acceptInvitation(ctxOf(null, '198.51.100.4'), inv.token, { name: 'New Person', password: PASSWORD }),
    ).toEqual({ email });
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user).toMatchObject({ role: 'csp', name: 'New Person', active: true });
    expect(user.passwordHash).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(true);
    expect(user.memberships.map((m) => m.organizationId)).toEqual([org.id]);
    expect((await loadActor(user.id))?.organizationIds).toEqual([org.id]);
    expect((await db.invitation.findUniqueOrThrow({ where: { id: inv.id } })).acceptedAt).toBeInstanceOf(Date);
    const events = await auditEvents(email);
    expect(events.map((e) => e.action)).toEqual(['invitation.create', 'invitation.accept']);
    expect(events[1]).toMatchObject({ actorId: user.id, organizationId: org.id, clientAddress: '198.51.100.4' });
  });

  test('a weak password or missing name is refused and leaves the invitation open', async () => {
    const { inv } = await invite();
    const err = await expectAppError(acceptInvitation(ctxOf(null), inv.token, { name: '', password: 'short' }), 422);
    expect(Object.keys(err.fields!).sort()).toEqual(['name', 'password']);
    expect(await findOpenInvitation(inv.token)).not.toBeNull();
  });

  test('a used link cannot be used again', async () => {
    const { inv, email } = await invite();
    await acceptInvitation(ctxOf(null), inv.token, { name: 'First', password: PASSWORD });
    await expectAppError(
      acceptInvitation(ctxOf(null), inv.token, { name: 'Second', password: 'another long password' }),
      410,
      'invitation_invalid',
    );
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(await verifyPassword(PASSWORD, user.passwordHash)).toBe(true);
    expect(await findOpenInvitation(inv.token)).toBeNull();
  });

  test('a revoked link is refused; revoking writes one event; revoking twice is 404', async () => {
    const { admin, inv, email } = await invite();
    await revokeInvitation(ctxOf(admin), inv.id);
    expect(await findOpenInvitation(inv.token)).toBeNull();
    await expectAppError(
      acceptInvitation(ctxOf(null), inv.token, { name: 'Too late', password: PASSWORD }),
      410,
      'invitation_invalid',
    );
    expect(await db.user.findUnique({ where: { email } })).toBeNull();
    await expectAppError(revokeInvitation(ctxOf(admin), inv.id), 404);
    expect((await auditEvents(email)).map((e) => e.action)).toEqual(['invitation.create', 'invitation.revoke']);
  });

  test('an unknown token is refused like a used one', async () => {
    expect(await findOpenInvitation('not-a-token')).toBeNull();
    await expectAppError(
      acceptInvitation(ctxOf(null), 'not-a-token', { name: 'X', password: PASSWORD }),
      410,
      'invitation_invalid',
    );
  });

  test('two accepts at the same moment: exactly one succeeds', async () => {
    const { inv, email } = await invite();
    const results = await Promise.allSettled([
      acceptInvitation(ctxOf(null), inv.token, { name: 'Tab one', password: 'password of tab one' }),
      acceptInvitation(ctxOf(null), inv.token, { name: 'Tab two', password: 'password of tab two' }),
      acceptInvitation(ctxOf(null), inv.token, { name: 'Tab three', password: 'password of tab three' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ status: 410, code: 'invitation_invalid' });
    expect(await db.user.count({ where: { email } })).toBe(1);
    expect((await auditEvents(email)).filter((e) => e.action === 'invitation.accept')).toHaveLength(1);
  });

  test('an existing user without a password (e.g. created for OIDC) may accept and joins the organization', async () => {
    const { org, email, inv } = await invite();
    const other = await makeOrg();
    await db.user.create({ data: { email, role: 'csp', memberships: { create: [{ organizationId: other.id }] } } });
    await acceptInvitation(ctxOf(null), inv.token, { name: 'Existing', password: PASSWORD });
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user.memberships.map((m) => m.organizationId).sort()).toEqual([org.id, other.id].sort());
  });
});
