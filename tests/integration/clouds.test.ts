import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { toErrorBody } from '@/lib/errors';
import { createCloud, getCloud, listClouds, setCloudArchived, updateCloud } from '@/lib/clouds';
import {
  auditEvents,
  ctxOf,
  expectAppError,
  expectPolicy,
  makeCloud,
  makeOrg,
  makeUser,
  uid,
} from './support/fixtures';

const input = (organization: string, over: Record<string, unknown> = {}) => ({
  slug: `c-${uid()}`,
  name: 'Some Cloud',
  organization,
  region: 'RegionOne',
  public: true,
  ...over,
});

describe('clouds', () => {
  test('staff create one in an organization; stored, returned with its organization, audited once', async () => {
    const org = await makeOrg();
    for (const role of ['admin', 'reviewer'] as const) {
      const staff = await makeUser(role);
      const data = input(org.slug, {
        description: ' A test cloud ',
        contactEmails: ['Ops@Example.test'],
        region: 'RegionTwo',
      });
      const c = await createCloud(ctxOf(staff), data);
      expect(c).toMatchObject({
        slug: data.slug,
        name: 'Some Cloud',
        description: 'A test cloud',
        region: 'RegionTwo',
        public: true,
        contactEmails: ['ops@example.test'],
        archivedAt: null,
        organization: { id: org.id, slug: org.slug },
      });
      const events = await auditEvents(data.slug);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ action: 'cloud.create', actorId: staff.id, organizationId: org.id });
    }
  });

  test('a taken slug is a conflict; invalid input names each field; neither writes an event', async () => {
    const admin = await makeUser('admin');
    const org = await makeOrg();
    const existing = await makeCloud(org.id);
    const conflict = await expectAppError(
      createCloud(ctxOf(admin), input(org.slug, { slug: existing.slug })),
      409,
      'conflict',
    );
    expect(conflict.fields).toEqual({ slug: expect.any(String) });
    const invalid = await expectAppError(
      createCloud(ctxOf(admin), { slug: 'x', name: '', organization: org.slug, region: 'bad region!' }),
      422,
      'invalid_input',
    );
    expect(Object.keys(invalid.fields!).sort()).toEqual(['name', 'region', 'slug']);
    const noOrg = await expectAppError(createCloud(ctxOf(admin), input(`missing-${uid()}`)), 422);
    expect(noOrg.fields).toEqual({ organization: expect.any(String) });
    expect(await auditEvents(existing.slug)).toHaveLength(0);
  });

  test('no cloud in an archived organization', async () => {
    const admin = await makeUser('admin');
    const org = await db.organization.create({ data: { slug: `gone-${uid()}`, name: 'Gone', archivedAt: new Date() } });
    const err = await expectAppError(createCloud(ctxOf(admin), input(org.slug)), 422);
    expect(err.fields?.organization).toMatch(/archived/);
  });

  test('csp users may not create clouds: 403 in their own organization, 404 in another', async () => {
    const own = await makeOrg();
    const other = await makeOrg();
    const csp = await makeUser('csp', [own.id]);
    const a = input(own.slug);
    await expectPolicy(createCloud(ctxOf(csp), a), 'forbidden');
    await expectPolicy(createCloud(ctxOf(csp), input(other.slug)), 'hidden');
    await expectPolicy(createCloud(ctxOf(null), input(own.slug)), 'unauthenticated');
    expect(await db.cloud.findUnique({ where: { slug: a.slug } })).toBeNull();
  });

  test('update changes metadata and may move the cloud; one event naming what changed', async () => {
    const reviewer = await makeUser('reviewer');
    const from = await makeOrg();
    const to = await makeOrg();
    const cloud = await makeCloud(from.id);
    const c = await updateCloud(ctxOf(reviewer), cloud.slug, {
      name: 'New name',
      organization: to.slug,
      region: 'RegionOne',
      public: false,
    });
    expect(c).toMatchObject({ slug: cloud.slug, name: 'New name', public: false, organization: { slug: to.slug } });
    const events = await auditEvents(cloud.slug);
    expect(events.map((e) => e.action)).toEqual(['cloud.update']);
    expect(events[0].summary).toMatch(/name.*organization/);
    expect(events[0].organizationId).toBe(to.id);
  });

  test('csp of the same organization: reads it, but update and archive are 403; another csp gets 404', async () => {
    const org = await makeOrg();
    const other = await makeOrg();
    const cloud = await makeCloud(org.id);
    const member = await makeUser('csp', [org.id]);
    const outsider = await makeUser('csp', [other.id]);
    expect((await getCloud(ctxOf(member), cloud.slug)).slug).toBe(cloud.slug);
    await expectPolicy(updateCloud(ctxOf(member), cloud.slug, { name: 'Mine', organization: org.slug }), 'forbidden');
    await expectPolicy(setCloudArchived(ctxOf(member), cloud.slug, true), 'forbidden');
    await expectPolicy(getCloud(ctxOf(outsider), cloud.slug), 'hidden');
    await expectPolicy(
      updateCloud(ctxOf(outsider), cloud.slug, { name: 'Theirs', organization: other.slug }),
      'hidden',
    );
    await expectPolicy(setCloudArchived(ctxOf(outsider), cloud.slug, true), 'hidden');
    // Unknown and invisible look the same to a csp user.
    await expectPolicy(getCloud(ctxOf(outsider), `missing-${uid()}`), 'hidden');
    expect((await db.cloud.findUniqueOrThrow({ where: { id: cloud.id } })).archivedAt).toBeNull();
    expect(await auditEvents(cloud.slug)).toHaveLength(0);
  });

  test('archive and restore: hidden from lists unless asked; one event each', async () => {
    const admin = await makeUser('admin');
    const org = await makeOrg();
    const cloud = await makeCloud(org.id, { prefix: 'arch' });
    expect((await setCloudArchived(ctxOf(admin), cloud.slug, true)).archivedAt).toBeInstanceOf(Date);
    expect((await listClouds(ctxOf(admin), { q: cloud.slug })).total).toBe(0);
    expect((await listClouds(ctxOf(admin), { q: cloud.slug, archived: true })).total).toBe(1);
    expect((await setCloudArchived(ctxOf(admin), cloud.slug, false)).archivedAt).toBeNull();
    expect((await auditEvents(cloud.slug)).map((e) => e.action)).toEqual(['cloud.archive', 'cloud.unarchive']);
  });

  test("list visibility: staff see all clouds, a csp user only its organizations' clouds", async () => {
    const tag = `lv${uid()}`;
    const a = await makeOrg({ prefix: tag });
    const b = await makeOrg({ prefix: tag });
    const ca = await db.cloud.create({ data: { slug: `${tag}-a`, name: `${tag} a`, organizationId: a.id } });
    const cb = await db.cloud.create({ data: { slug: `${tag}-b`, name: `${tag} b`, organizationId: b.id } });
    const slugs = async (actor: Awaited<ReturnType<typeof makeUser>>, req: Parameters<typeof listClouds>[1] = {}) =>
      (await listClouds(ctxOf(actor), { q: tag, ...req })).items.map((c) => c.slug);
    expect(await slugs(await makeUser('admin'))).toEqual([ca.slug, cb.slug]);
    expect(await slugs(await makeUser('reviewer'))).toEqual([ca.slug, cb.slug]);
    const cspA = await makeUser('csp', [a.id]);
    expect(await slugs(cspA)).toEqual([ca.slug]);
    expect((await listClouds(ctxOf(cspA), { q: tag })).total).toBe(1);
    // Filtering by another organization does not widen what a csp user sees.
    expect(await slugs(cspA, { organization: b.slug })).toEqual([]);
    expect(await slugs(await makeUser('admin'), { organization: b.slug })).toEqual([cb.slug]);
    expect(await slugs(await makeUser('csp'))).toEqual([]);
    await expectPolicy(listClouds(ctxOf(null)), 'unauthenticated');
  });

  test('two concurrent creates of the same slug: one wins, the other is a conflict, one event', async () => {
    const admin = await makeUser('admin');
    const org = await makeOrg();
    const data = input(org.slug);
    const results = await Promise.allSettled([createCloud(ctxOf(admin), data), createCloud(ctxOf(admin), data)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    // Either the pre-check saw the winner (ConflictError) or the unique index refused the row:
    // both reach the caller as 409 on the slug field, never as a 500.
    expect(toErrorBody(failed.reason)).toEqual({
      status: 409,
      body: { error: { code: 'conflict', message: expect.any(String), fields: { slug: expect.any(String) } } },
    });
    expect(await auditEvents(data.slug)).toHaveLength(1);
  });
});
