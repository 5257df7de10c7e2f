import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { ValidationError } from '@/lib/errors';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  setOrganizationArchived,
  updateOrganization,
} from '@/lib/organizations';
import { auditEvents, ctxOf, expectAppError, expectPolicy, makeOrg, makeUser, uid } from './support/fixtures';

describe('organizations', () => {
  test('staff create one; it is stored, returned and audited once with actor and client address', async () => {
    const admin = await makeUser('admin');
    const slug = `acme-${uid()}`;
    const o = await createOrganization(ctxOf(admin, '203.0.113.5'), {
      slug: ` ${slug.toUpperCase()} `,
      name: ' ACME Cloud ',
      contactEmails: 'Ops@Acme.test, sec@acme.test',
    });
    expect(o).toMatchObject({
      slug,
      name: 'ACME Cloud',
      contactEmails: ['ops@acme.test', 'sec@acme.test'],
      archivedAt: null,
      cloudCount: 0,
    });
    expect(await db.organization.findUnique({ where: { slug } })).not.toBeNull();
    const events = await auditEvents(slug);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'organization.create',
      targetType: 'organization',
      actorId: admin.id,
      actorLabel: admin.email,
      organizationId: o.id,
      clientAddress: '203.0.113.5',
    });

    const reviewer = await makeUser('reviewer');
    const slug2 = `rev-${uid()}`;
    await createOrganization(ctxOf(reviewer), { slug: slug2, name: 'By a reviewer' });
    expect(await auditEvents(slug2)).toHaveLength(1);
  });

  test('a taken slug is a conflict on the slug field and writes no event', async () => {
    const admin = await makeUser('admin');
    const existing = await makeOrg();
    const err = await expectAppError(
      createOrganization(ctxOf(admin), { slug: existing.slug, name: 'Again' }),
      409,
      'conflict',
    );
    expect(err.fields).toEqual({ slug: expect.any(String) });
    expect(await auditEvents(existing.slug)).toHaveLength(0);
  });

  test('invalid input names each field', async () => {
    const admin = await makeUser('admin');
    const err = await expectAppError(
      createOrganization(ctxOf(admin), { slug: '-Bad_Slug-', name: '   ', contactEmails: 'not-an-email' }),
      422,
      'invalid_input',
    );
    expect(err).toBeInstanceOf(ValidationError);
    expect(Object.keys(err.fields!).sort()).toEqual(['contactEmails.0', 'name', 'slug']);
    const err2 = await expectAppError(createOrganization(ctxOf(admin), {}), 422);
    expect(Object.keys(err2.fields!).sort()).toEqual(['name', 'slug']);
  });

  test('csp users and anonymous callers cannot create', async () => {
    const org = await makeOrg();
    const csp = await makeUser('csp', [org.id]);
    const slug = `nope-${uid()}`;
    await expectPolicy(createOrganization(ctxOf(csp), { slug, name: 'No' }), 'forbidden');
    await expectPolicy(createOrganization(ctxOf(null), { slug, name: 'No' }), 'unauthenticated');
    expect(await db.organization.findUnique({ where: { slug } })).toBeNull();
  });

  test('update changes name and contacts, keeps the slug, writes one event', async () => {
    const admin = await makeUser('admin');
    const org = await makeOrg();
    const o = await updateOrganization(ctxOf(admin), org.slug, { name: 'Renamed', contactEmails: ['a@b.test'] });
    expect(o).toMatchObject({ slug: org.slug, name: 'Renamed', contactEmails: ['a@b.test'] });
    expect((await auditEvents(org.slug)).map((e) => e.action)).toEqual(['organization.update']);
    await expectAppError(updateOrganization(ctxOf(admin), org.slug, { name: '' }), 422);
    expect(await auditEvents(org.slug)).toHaveLength(1);
  });

  test('update and archive: csp 403 on its own, 404 on another; unknown slug 404', async () => {
    const own = await makeOrg();
    const other = await makeOrg();
    const csp = await makeUser('csp', [own.id]);
    await expectPolicy(updateOrganization(ctxOf(csp), own.slug, { name: 'Mine now' }), 'forbidden');
    await expectPolicy(setOrganizationArchived(ctxOf(csp), own.slug, true), 'forbidden');
    await expectPolicy(updateOrganization(ctxOf(csp), other.slug, { name: 'Theirs' }), 'hidden');
    await expectPolicy(getOrganization(ctxOf(csp), other.slug), 'hidden');
    expect((await getOrganization(ctxOf(csp), own.slug)).slug).toBe(own.slug);
    const admin = await makeUser('admin');
    await expectAppError(getOrganization(ctxOf(admin), `missing-${uid()}`), 404, 'not_found');
    expect(await auditEvents(own.slug)).toHaveLength(0);
  });

  test('archive hides it from lists (unless asked), restore brings it back; one event each', async () => {
    const reviewer = await makeUser('reviewer');
    const org = await makeOrg({ prefix: 'arch' });
    const archived = await setOrganizationArchived(ctxOf(reviewer), org.slug, true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect((await listOrganizations(ctxOf(reviewer), { q: org.slug })).items).toHaveLength(0);
    expect((await listOrganizations(ctxOf(reviewer), { q: org.slug, archived: true })).items).toHaveLength(1);
    const restored = await setOrganizationArchived(ctxOf(reviewer), org.slug, false);
    expect(restored.archivedAt).toBeNull();
    expect((await auditEvents(org.slug)).map((e) => e.action)).toEqual([
      'organization.archive',
      'organization.unarchive',
    ]);
  });

  test('list visibility: staff see every organization, csp users only theirs, anonymous nothing', async () => {
    const tag = `vis${uid()}`;
    const a = await db.organization.create({ data: { slug: `${tag}-a`, name: `${tag} A` } });
    const b = await db.organization.create({ data: { slug: `${tag}-b`, name: `${tag} B` } });
    const c = await db.organization.create({ data: { slug: `${tag}-c`, name: `${tag} C` } });
    const slugs = async (actor: Awaited<ReturnType<typeof makeUser>>) =>
      (await listOrganizations(ctxOf(actor), { q: tag })).items.map((o) => o.slug);
    expect(await slugs(await makeUser('admin'))).toEqual([a.slug, b.slug, c.slug]);
    expect(await slugs(await makeUser('reviewer'))).toEqual([a.slug, b.slug, c.slug]);
    expect(await slugs(await makeUser('csp', [b.id]))).toEqual([b.slug]);
    expect(await slugs(await makeUser('csp', [a.id, c.id]))).toEqual([a.slug, c.slug]);
    expect(await slugs(await makeUser('csp'))).toEqual([]);
    await expectPolicy(listOrganizations(ctxOf(null)), 'unauthenticated');
  });

  test('pagination: total counts all matches, pages slice them in name order', async () => {
    const admin = await makeUser('admin');
    const tag = `pg${uid()}`;
    for (const n of ['e', 'a', 'd', 'b', 'c'])
      await db.organization.create({ data: { slug: `${tag}-${n}`, name: `${tag} ${n}` } });
    const p2 = await listOrganizations(ctxOf(admin), { q: tag, page: 2, pageSize: 2 });
    expect(p2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(p2.items.map((o) => o.slug)).toEqual([`${tag}-c`, `${tag}-d`]);
  });
});
