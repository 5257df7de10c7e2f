import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { createCloud, setCloudArchived, updateCloud } from '@/lib/clouds';
import { createOrganization, setOrganizationArchived, updateOrganization } from '@/lib/organizations';
import { createToken, revokeToken } from '@/lib/tokens';
import { createInvitation, createUser, updateUser } from '@/lib/users';
import { auditEvents, ctxOf, makeCloud, makeOrg, makeUser, rejection, uid } from './support/fixtures';

/**
 * "A state change and its audit event are written in one transaction." Proven with two database
 * triggers that fire only for targets named "auditfail-..." / "commitfail-..." (so other tests
 * are untouched): one makes the audit insert itself fail, the other lets every statement succeed
 * and fails the COMMIT (a deferred constraint trigger on the audit row). In both cases neither the
 * change nor the event may remain.
 */
beforeAll(async () => {
  await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_audit_fail() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'test: audit write refused for %', NEW."targetId"; END $$`);
  await db.$executeRawUnsafe(`CREATE TRIGGER test_audit_fail BEFORE INSERT ON "AuditEvent"
    FOR EACH ROW WHEN (NEW."targetId" LIKE 'auditfail-%') EXECUTE FUNCTION test_audit_fail()`);
  await db.$executeRawUnsafe(`CREATE CONSTRAINT TRIGGER test_commit_fail AFTER INSERT ON "AuditEvent"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."targetId" LIKE 'commitfail-%') EXECUTE FUNCTION test_audit_fail()`);
});
afterAll(async () => {
  await db.$executeRawUnsafe('DROP TRIGGER IF EXISTS test_audit_fail ON "AuditEvent"');
  await db.$executeRawUnsafe('DROP TRIGGER IF EXISTS test_commit_fail ON "AuditEvent"');
  await db.$executeRawUnsafe('DROP FUNCTION IF EXISTS test_audit_fail()');
});

describe('audit events', () => {
  test('every state change writes exactly one event, with actor, action, target, time and address', async () => {
    const admin = await makeUser('admin');
    const ctx = ctxOf(admin, '203.0.113.77');
    const before = new Date();
    const orgSlug = `aud-${uid()}`;
    const steps: [string, string, () => Promise<unknown>][] = [
      ['organization.create', orgSlug, () => createOrganization(ctx, { slug: orgSlug, name: 'Audited' })],
      ['organization.update', orgSlug, () => updateOrganization(ctx, orgSlug, { name: 'Audited 2' })],
      ['organization.archive', orgSlug, () => setOrganizationArchived(ctx, orgSlug, true)],
      ['organization.unarchive', orgSlug, () => setOrganizationArchived(ctx, orgSlug, false)],
    ];
    const cloudSlug = `aud-${uid()}`;
    steps.push(
      [
        'cloud.create',
        cloudSlug,
        () => createCloud(ctx, { slug: cloudSlug, name: 'C', organization: orgSlug, region: 'R1', public: false }),
      ],
      [
        'cloud.update',
        cloudSlug,
        () => updateCloud(ctx, cloudSlug, { name: 'C2', organization: orgSlug, region: 'R1' }),
      ],
      ['cloud.archive', cloudSlug, () => setCloudArchived(ctx, cloudSlug, true)],
    );
    const email = `aud-${uid()}@example.test`;
    steps.push(
      ['user.create', email, () => createUser(ctx, { email, role: 'csp', organizations: [orgSlug] })],
      [
        'user.update',
        email,
        async () => updateUser(ctx, (await db.user.findUniqueOrThrow({ where: { email } })).id, { role: 'reviewer' }),
      ],
    );
    const invitee = `inv-${uid()}@example.test`;
    steps.push(['invitation.create', invitee, () => createInvitation(ctx, { email: invitee, organization: orgSlug })]);

    for (const [action, target, run] of steps) {
      const n = (await auditEvents(target)).length;
      await run();
      const events = await auditEvents(target);
      expect(events, action).toHaveLength(n + 1);
      const e = events[events.length - 1];
      expect(e, action).toMatchObject({
        action,
        targetId: target,
        actorId: admin.id,
        actorLabel: admin.email,
        clientAddress: '203.0.113.77',
      });
      expect(e.at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(e.summary.length).toBeGreaterThan(0);
    }

    const t = await createToken(ctx, admin.id, { name: 'aud' });
    await revokeToken(ctx, t.id);
    expect((await auditEvents(t.prefix)).map((e) => e.action)).toEqual(['token.create', 'token.revoke']);
  });

  test("events carry the organization, so csp users can be shown their organizations' events", async () => {
    const admin = await makeUser('admin');
    const org = await makeOrg();
    const cloud = await makeCloud(org.id);
    await setCloudArchived(ctxOf(admin), cloud.slug, true);
    expect((await auditEvents(cloud.slug))[0].organizationId).toBe(org.id);
  });

  test('the system actor and token callers are labelled', async () => {
    const { systemActor } = await import('@/lib/auth/policy');
    const slug = `sys-${uid()}`;
    await createOrganization({ actor: systemActor('admin-cli'), clientAddress: null }, { slug, name: 'By the CLI' });
    expect((await auditEvents(slug))[0]).toMatchObject({ actorId: null, actorLabel: 'admin-cli', clientAddress: null });
    const reviewer = await makeUser('reviewer');
    const slug2 = `tok-${uid()}`;
    await createOrganization(
      { actor: reviewer, clientAddress: '192.0.2.1', via: 'api-token' },
      { slug: slug2, name: 'By token' },
    );
    expect((await auditEvents(slug2))[0]).toMatchObject({
      actorId: reviewer.id,
      actorLabel: `${reviewer.email} via api-token`,
    });
  });

  test('a refused or invalid change writes no event', async () => {
    const org = await makeOrg();
    const csp = await makeUser('csp', [org.id]);
    const admin = await makeUser('admin');
    await rejection(updateOrganization(ctxOf(csp), org.slug, { name: 'x' }));
    await rejection(updateOrganization(ctxOf(admin), org.slug, { name: '' }));
    await rejection(createOrganization(ctxOf(admin), { slug: org.slug, name: 'dup' }));
    expect(await auditEvents(org.slug)).toHaveLength(0);
  });

  test('when the audit write fails, the change is rolled back', async () => {
    const admin = await makeUser('admin');
    const slug = `auditfail-${uid()}`;
    const err = await rejection(createOrganization(ctxOf(admin), { slug, name: 'Never' }));
    expect(String((err as Error).message)).toMatch(/audit write refused/);
    expect(await db.organization.findUnique({ where: { slug } })).toBeNull();
    expect(await auditEvents(slug)).toHaveLength(0);

    const org = await makeOrg();
    const cloudSlug = `auditfail-${uid()}`;
    const cloud = await db.cloud.create({ data: { slug: cloudSlug, name: 'Before', organizationId: org.id } });
    await rejection(updateCloud(ctxOf(admin), cloudSlug, { name: 'After', organization: org.slug }));
    expect((await db.cloud.findUniqueOrThrow({ where: { id: cloud.id } })).name).toBe('Before');
    await rejection(setCloudArchived(ctxOf(admin), cloudSlug, true));
    expect((await db.cloud.findUniqueOrThrow({ where: { id: cloud.id } })).archivedAt).toBeNull();
  });

  test('when the commit fails after change and event were written, neither remains', async () => {
    const admin = await makeUser('admin');
    const slug = `commitfail-${uid()}`;
    await rejection(createOrganization(ctxOf(admin), { slug, name: 'Never' }));
    expect(await db.organization.findUnique({ where: { slug } })).toBeNull();
    expect(await auditEvents(slug)).toHaveLength(0);

    const org = await makeOrg();
    const cloudSlug = `commitfail-${uid()}`;
    await rejection(
      createCloud(ctxOf(admin), { slug: cloudSlug, name: 'Never', organization: org.slug, region: 'R1', public: true }),
    );
    expect(await db.cloud.findUnique({ where: { slug: cloudSlug } })).toBeNull();
    expect(await auditEvents(cloudSlug)).toHaveLength(0);

    // The triggers touch nothing else: a normal change still commits.
    const ok = await createOrganization(ctxOf(admin), { slug: `fine-${uid()}`, name: 'Fine' });
    expect(await auditEvents(ok.slug)).toHaveLength(1);
  });
});
