import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { createUser, getUser, loadActor, updateUser } from '@/lib/users';
import { auditEvents, ctxOf, expectAppError, expectPolicy, makeOrg, makeUser, uid } from './support/fixtures';

describe('loadActor: every request sees the user as the database has it now', () => {
  test('deactivation takes effect on the next call, reactivation too', async () => {
    const admin = await makeUser('admin');
    const user = await makeUser('reviewer');
    expect(await loadActor(user.id)).not.toBeNull();
    await updateUser(ctxOf(admin), user.id, { active: false });
    expect(await loadActor(user.id)).toBeNull();
    await updateUser(ctxOf(admin), user.id, { active: true });
    expect((await loadActor(user.id))?.role).toBe('reviewer');
  });

  test('role and membership changes are seen on the next call', async () => {
    const admin = await makeUser('admin');
    const a = await makeOrg();
    const b = await makeOrg();
    const user = await makeUser('csp', [a.id]);
    expect(await loadActor(user.id)).toMatchObject({ role: 'csp', organizationIds: [a.id] });
    await updateUser(ctxOf(admin), user.id, { organizations: [b.slug] });
    expect((await loadActor(user.id))?.organizationIds).toEqual([b.id]);
    await updateUser(ctxOf(admin), user.id, { role: 'reviewer' });
    expect((await loadActor(user.id))?.role).toBe('reviewer');
    const events = await auditEvents(user.email);
    expect(events.map((e) => e.action)).toEqual(['user.update', 'user.update']);
    expect(events[1].summary).toContain('role csp -> reviewer');
  });

  test('unknown ids are nobody', async () => {
    expect(await loadActor('00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});

describe('users', () => {
  test('admins create users with organizations; one event; a taken email is a conflict', async () => {
    const admin = await makeUser('admin');
    const org = await makeOrg();
    const email = `new-${uid()}@example.test`;
    const u = await createUser(ctxOf(admin), {
      email,
      role: 'csp',
      organizations: [org.slug],
      password: 'a long enough password',
    });
    expect(u).toMatchObject({ email, role: 'csp', hasPassword: true, organizations: [{ slug: org.slug }] });
    expect((await auditEvents(email)).map((e) => e.action)).toEqual(['user.create']);
    await expectAppError(createUser(ctxOf(admin), { email, role: 'csp' }), 409);
    const bad = await expectAppError(
      createUser(ctxOf(admin), { email: 'x', role: 'boss', organizations: [`missing-${uid()}`] }),
      422,
    );
    expect(Object.keys(bad.fields!).sort()).toEqual(['email', 'role']);
    await expectAppError(
      createUser(ctxOf(admin), { email: `o-${uid()}@example.test`, role: 'csp', organizations: [`missing-${uid()}`] }),
      422,
    );
    expect(await auditEvents(email)).toHaveLength(1);
  });

  test("non-admins manage no users; another user's record is hidden, one's own readable", async () => {
    const reviewer = await makeUser('reviewer');
    const other = await makeUser('csp');
    await expectPolicy(createUser(ctxOf(reviewer), { email: `x-${uid()}@example.test`, role: 'csp' }), 'forbidden');
    await expectPolicy(updateUser(ctxOf(reviewer), other.id, { role: 'admin' }), 'hidden');
    await expectPolicy(getUser(ctxOf(reviewer), other.id), 'hidden');
    expect((await getUser(ctxOf(reviewer), reviewer.id)).email).toBe(reviewer.email);
    await expectPolicy(updateUser(ctxOf(reviewer), reviewer.id, { role: 'admin' }), 'forbidden');
    expect((await db.user.findUniqueOrThrow({ where: { id: reviewer.id } })).role).toBe('reviewer');
  });

  test('an admin cannot lock themselves out', async () => {
    const admin = await makeUser('admin');
    await expectAppError(updateUser(ctxOf(admin), admin.id, { active: false }), 409, 'self_lockout');
    await expectAppError(updateUser(ctxOf(admin), admin.id, { role: 'csp' }), 409, 'self_lockout');
  });
});
