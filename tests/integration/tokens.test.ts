import crypto from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { actorForBearer, createToken, listTokens, revokeToken } from '@/lib/tokens';
import { updateUser } from '@/lib/users';
import { auditEvents, ctxOf, expectAppError, expectPolicy, makeOrg, makeUser } from './support/fixtures';

const DAY = 86_400_000;
const bigintSafe = (_k: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v);

describe('API tokens', () => {
  test('created once: the token is returned, only its hash and prefix are stored, one event', async () => {
    const org = await makeOrg();
    const user = await makeUser('csp', [org.id]);
    const now = new Date('2026-05-01T00:00:00Z');
    const t = await createToken(ctxOf(user), user.id, { name: 'CI pipeline', days: 30 }, now);
    expect(t.token).toMatch(/^scskm_[\w-]{40}$/);
    expect(t.prefix).toBe(t.token.slice(0, 12));
    expect(t.expiresAt.getTime()).toBe(now.getTime() + 30 * DAY);
    expect(t).not.toHaveProperty('tokenHash');

    const row = await db.apiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.tokenHash).toBe(crypto.createHash('sha256').update(t.token).digest('hex'));
    // Nowhere in the database: not in the token table, not in the audit log.
    const rows = await db.$queryRawUnsafe<unknown[]>('SELECT * FROM "ApiToken"');
    expect(JSON.stringify(rows, bigintSafe)).not.toContain(t.token);
    expect(JSON.stringify(await db.$queryRawUnsafe<unknown[]>('SELECT * FROM "AuditEvent"'), bigintSafe)).not.toContain(
      t.token,
    );
    const events = await auditEvents(t.prefix);
    expect(events.map((e) => e.action)).toEqual(['token.create']);

    // Listing never shows it again.
    const listed = await listTokens(ctxOf(user), user.id);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(t.token);
    expect(listed[0]).not.toHaveProperty('token');
  });

  test('input: name required, days 1-365 (default 90)', async () => {
    const user = await makeUser('reviewer');
    const now = new Date();
    expect((await createToken(ctxOf(user), user.id, { name: 'default' }, now)).expiresAt.getTime()).toBe(
      now.getTime() + 90 * DAY,
    );
    const err = await expectAppError(createToken(ctxOf(user), user.id, { name: '', days: 400 }), 422);
    expect(Object.keys(err.fields!).sort()).toEqual(['days', 'name']);
  });

  test("only one's own tokens (admins excepted)", async () => {
    const owner = await makeUser('reviewer');
    const other = await makeUser('csp');
    await expectPolicy(createToken(ctxOf(other), owner.id, { name: 'x' }), 'hidden');
    await expectPolicy(listTokens(ctxOf(other), owner.id), 'hidden');
    await expectPolicy(createToken(ctxOf(null), owner.id, { name: 'x' }), 'unauthenticated');
    const t = await createToken(ctxOf(owner), owner.id, { name: 'mine' });
    await expectPolicy(revokeToken(ctxOf(other), t.id), 'hidden');
    const admin = await makeUser('admin');
    expect(await listTokens(ctxOf(admin), owner.id)).toHaveLength(1);
  });

  test('a bearer token acts as its user; unknown or malformed ones as nobody', async () => {
    const org = await makeOrg();
    const user = await makeUser('csp', [org.id]);
    const t = await createToken(ctxOf(user), user.id, { name: 'x' });
    expect(await actorForBearer(t.token)).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
      role: 'csp',
      organizationIds: [org.id],
    });
    expect(await actorForBearer(t.token.slice(0, -1) + (t.token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await actorForBearer('scskm_')).toBeNull();
    expect(await actorForBearer(t.token.replace('scskm_', 'other_'))).toBeNull();
    expect(await actorForBearer('')).toBeNull();
  });

  test('revoked -> nobody; revoking writes one event; revoking again is a no-op', async () => {
    const user = await makeUser('reviewer');
    const t = await createToken(ctxOf(user), user.id, { name: 'x' });
    await revokeToken(ctxOf(user), t.id);
    expect(await actorForBearer(t.token)).toBeNull();
    await revokeToken(ctxOf(user), t.id);
    expect((await auditEvents(t.prefix)).map((e) => e.action)).toEqual(['token.create', 'token.revoke']);
    await expectPolicy(revokeToken(ctxOf(user), 'not-a-uuid'), 'hidden');
  });

  test('expired -> nobody, from the expiry instant on', async () => {
    const user = await makeUser('reviewer');
    const now = new Date();
    const t = await createToken(ctxOf(user), user.id, { name: 'x', days: 1 }, now);
    expect(await actorForBearer(t.token, new Date(t.expiresAt.getTime() - 1))).not.toBeNull();
    expect(await actorForBearer(t.token, t.expiresAt)).toBeNull();
    expect(await actorForBearer(t.token, new Date(t.expiresAt.getTime() + DAY))).toBeNull();
  });

  test("a deactivated user's token acts as nobody, and works again on reactivation", async () => {
    const admin = await makeUser('admin');
    const user = await makeUser('reviewer');
    const t = await createToken(ctxOf(user), user.id, { name: 'x' });
    await updateUser(ctxOf(admin), user.id, { active: false });
    expect(await actorForBearer(t.token)).toBeNull();
    await updateUser(ctxOf(admin), user.id, { active: true });
    expect(await actorForBearer(t.token)).not.toBeNull();
  });

  test('last use is recorded (at most once a minute)', async () => {
    const user = await makeUser('reviewer');
    const t = await createToken(ctxOf(user), user.id, { name: 'x' });
    const lastUsed = async () => (await db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const t1 = new Date(Date.now() + 1000);
    await actorForBearer(t.token, t1);
    expect(await lastUsed()).toEqual(t1);
    await actorForBearer(t.token, new Date(t1.getTime() + 30_000));
    expect(await lastUsed()).toEqual(t1);
    const t2 = new Date(t1.getTime() + 61_000);
    await actorForBearer(t.token, t2);
    expect(await lastUsed()).toEqual(t2);
    expect((await listTokens(ctxOf(user), user.id))[0].lastUsedAt).toEqual(t2);
  });
});
