import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { createCloud, getCloud, updateCloud } from '@/lib/clouds';
import { auditEvents, ctxOf, expectAppError, expectPolicy, makeOrg, makeUser, uid } from './support/fixtures';

// Issue 13 item 1: every cloud has an SCS subject, staff-set, unique, the slug by default.
const input = (organization: string, over: Record<string, unknown> = {}) => ({
  slug: `c-${uid()}`,
  name: 'Subject Cloud',
  organization,
  region: 'RegionOne',
  public: false,
  ...over,
});

describe('SCS subject of a cloud', () => {
  test('defaults to the slug; staff choose another; clearing it goes back to the slug; audited', async () => {
    const org = await makeOrg();
    const staff = ctxOf(await makeUser('reviewer'));
    const c = await createCloud(staff, input(org.slug));
    expect(c.scsSubject).toBe(c.slug);
    const chosen = `Gx-${uid()}.prod_1`;
    const u = await updateCloud(staff, c.slug, { ...input(org.slug), scsSubject: chosen });
    expect(u.scsSubject).toBe(chosen);
    expect((await getCloud(staff, c.slug)).scsSubject).toBe(chosen);
    expect((await auditEvents(c.slug)).map((e) => e.summary).at(-1)).toContain(`SCS subject ${c.slug} -> ${chosen}`);
    const back = await updateCloud(staff, c.slug, { ...input(org.slug), scsSubject: '' });
    expect(back.scsSubject).toBe(c.slug);
  });

  test('unique: a subject taken by another cloud is a field error, also when it is the default', async () => {
    const org = await makeOrg();
    const staff = ctxOf(await makeUser('admin'));
    const a = await createCloud(staff, input(org.slug));
    const b = await createCloud(staff, input(org.slug));
    const taken = await expectAppError(updateCloud(staff, b.slug, { ...input(org.slug), scsSubject: a.slug }), 409);
    expect(taken.fields?.scsSubject).toBe(`Cloud ${a.slug} has this subject already.`);
    const subject = `s-${uid()}`;
    await updateCloud(staff, a.slug, { ...input(org.slug), scsSubject: subject });
    // A new cloud whose slug is another cloud's subject cannot keep the default.
    const clash = await expectAppError(createCloud(staff, input(org.slug, { slug: subject })), 409);
    expect(clash.fields?.scsSubject).toMatch(/default subject \(the slug, ".*"\) is taken by cloud/);
    expect(await db.cloud.count({ where: { slug: subject } })).toBe(0);
  });

  test('a malformed subject is refused with a field error', async () => {
    const org = await makeOrg();
    const staff = ctxOf(await makeUser('admin'));
    for (const bad of ['-lead', 'with space', 'a:b', 'ü', 'x'.repeat(101)]) {
      const e = await expectAppError(createCloud(staff, input(org.slug, { scsSubject: bad })), 422);
      expect(e.fields?.scsSubject, bad).toBeTruthy();
    }
  });

  test('only staff set it (a CSP user may not update the cloud)', async () => {
    const org = await makeOrg();
    const c = await createCloud(ctxOf(await makeUser('admin')), input(org.slug));
    const csp = ctxOf(await makeUser('csp', [org.id]));
    await expectPolicy(updateCloud(csp, c.slug, { ...input(org.slug), scsSubject: 'mine' }), 'forbidden');
  });

  test('a cloud inserted without one (older code, SQL) gets its slug from the trigger', async () => {
    const org = await makeOrg();
    const slug = `raw-${uid()}`;
    await db.$executeRaw`INSERT INTO "Cloud" (id, slug, name, "organizationId", "updatedAt")
      VALUES (gen_random_uuid(), ${slug}, 'Raw', ${org.id}::uuid, now())`;
    expect((await db.cloud.findUniqueOrThrow({ where: { slug } })).scsSubject).toBe(slug);
  });
});
