// Refreshing many snapshots at once (the first overview after a deploy, the worker's refresh): in
// batches, handing back only the sort keys. And the public list, read in chunks. Both must cover
// every cloud exactly once, in several batches, with the same outcome as evaluating each cloud afresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { db, Prisma } from '../../lib/db';
import { complianceOf, evaluateClouds } from '../../lib/compliance';
import { cloudSelect } from '../../lib/compliance/evaluate';
import { refreshWhere } from '../../lib/compliance/snapshot';
import { mapPublicClouds, statusJson } from '../../lib/compliance/public';

// More than two refresh batches (250) and more than one public chunk (500).
const N = 620;
const tag = randomBytes(3).toString('hex');
let orgId: string;

beforeAll(async () => {
  const org = await db.organization.create({ data: { slug: `batches-${tag}`, name: `Batches ${tag}` } });
  orgId = org.id;
  // Every cloud public; a third fail permissions (FAIL), one in seven has no results at all; the rest
  // pass both but have no attestation (MISS).
  await db.$executeRaw`
    INSERT INTO "Cloud" (id, slug, name, "organizationId", public, "updatedAt")
    SELECT gen_random_uuid(), ${`b-${tag}-`} || g, ${`Batch ${tag} `} || lpad(g::text, 4, '0'), ${orgId}::uuid, true, now()
      FROM generate_series(1, ${N}::int) g`;
  await db.$executeRaw`
    INSERT INTO "Run" (id, "cloudId", status, trigger, "queuedAt", "startedAt", "finishedAt")
    SELECT gen_random_uuid(), c.id, 'finished', 'schedule', now() - interval '1 hour', now() - interval '1 hour', now() - interval '59 minutes'
      FROM "Cloud" c WHERE c."organizationId" = ${orgId}::uuid AND split_part(c.slug, '-', 3)::int % 7 <> 0`;
  await db.$executeRaw`
    INSERT INTO "RunResult" (id, "runId", "cloudId", testcase, verdict, message, "durationMs", "checkedAt")
    SELECT gen_random_uuid(), r.id, r."cloudId", t.testcase,
           (CASE WHEN t.testcase = 'scs-0116-permissions' AND split_part(c.slug, '-', 3)::int % 3 = 0 THEN 'FAIL' ELSE 'PASS' END)::"Verdict",
           'seeded', 5, r."finishedAt"
      FROM "Run" r JOIN "Cloud" c ON c.id = r."cloudId"
     CROSS JOIN (VALUES ('scs-0116-presence'), ('scs-0116-permissions')) t(testcase)
     WHERE c."organizationId" = ${orgId}::uuid`;
});

afterAll(async () => {
  // Other files read public clouds: take ours out of the list.
  await db.cloud.updateMany({ where: { organizationId: orgId }, data: { archivedAt: new Date() } });
});

const ours = () =>
  db.cloud.findMany({ where: { organizationId: orgId }, select: cloudSelect, orderBy: { name: 'asc' } });

describe('refreshWhere over many clouds', () => {
  it('recomputes and stores every stale snapshot once, with the outcome of a fresh evaluation', async () => {
    const clouds = await ours();
    expect(clouds).toHaveLength(N);
    const refreshed = await refreshWhere(Prisma.sql`c."organizationId" = ${orgId}::uuid`);
    expect(refreshed.size).toBe(N);

    const fresh = await evaluateClouds(clouds);
    const statuses = new Map(fresh.map((c) => [c.cloud.id, c.status]));
    for (const [id, r] of refreshed) {
      expect(r.status).toBe(statuses.get(id));
      // Only the sort keys come back, not the whole evaluation (10,000 of those do not fit the heap).
      expect(Object.keys(r).sort()).toEqual(['attestationExpiresAt', 'certificateValidUntil', 'lastRunAt', 'status']);
    }
    const counts = { PASS: 0, FAIL: 0, MISS: 0, DNF: 0 };
    for (const c of fresh) counts[c.status]++;
    const failing = Array.from({ length: N }, (_, i) => i + 1).filter((g) => g % 3 === 0 && g % 7 !== 0).length;
    expect(counts).toEqual({ PASS: 0, FAIL: failing, MISS: N - failing, DNF: 0 });

    // Stored: all fresh now, equal to the evaluation, and a second refresh finds nothing to do.
    const stored = await db.complianceSnapshot.findMany({
      where: { cloudId: { in: clouds.map((c) => c.id) } },
      select: { cloudId: true, status: true, computedVersion: true, version: true },
    });
    expect(stored).toHaveLength(N);
    for (const s of stored) {
      expect(s.computedVersion).toBe(s.version);
      expect(s.status).toBe(statuses.get(s.cloudId));
    }
    expect((await refreshWhere(Prisma.sql`c."organizationId" = ${orgId}::uuid`)).size).toBe(0);
    const sample = [clouds[0]!, clouds[299]!, clouds[N - 1]!];
    expect(await complianceOf(sample)).toEqual(await evaluateClouds(sample));
  });
});

describe('mapPublicClouds', () => {
  it('passes every public cloud through the mapping once, by name, across chunks', async () => {
    const names = await mapPublicClouds((c) => ({ slug: c.cloud.slug, name: c.cloud.name, status: c.status }));
    const mine = names.filter((x) => x.slug.startsWith(`b-${tag}-`));
    expect(mine).toHaveLength(N);
    expect(mine.map((x) => x.name)).toEqual([...mine.map((x) => x.name)].sort());
    expect(new Set(names.map((x) => x.slug)).size).toBe(names.length);
    const clouds = await ours();
    const byName = new Map((await evaluateClouds(clouds)).map((c) => [c.cloud.slug, c.status]));
    for (const x of mine) expect(x.status).toBe(byName.get(x.slug));
    // The public JSON of one of them is the same whichever way it was read.
    const one = (await complianceOf([clouds[42]!]))[0]!;
    const viaMap = await mapPublicClouds((c) => (c.cloud.id === one.cloud.id ? statusJson(c, 'https://x.test') : null));
    const { generatedAt: _a, ...expected } = statusJson(one, 'https://x.test');
    const { generatedAt: _b, ...got } = viaMap.find((x) => x !== null)!;
    expect(got).toEqual(expected);
  });
});
