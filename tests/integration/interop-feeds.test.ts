import { describe, expect, test, vi } from 'vitest';

vi.mock('server-only', () => ({}));

import * as allFeed from '@/app/status/feed.atom/route';
import * as cloudFeed from '@/app/status/[slug]/feed.atom/route';
import * as statusPage from '@/app/status/[slug]/route';
import { db } from '@/lib/db';
import { makeCloud, makeOrg } from './support/fixtures';

// The Atom feeds of status changes (issue 13 item 6) over their route handlers, and the status page's links.
async function get(handler: unknown, p: string, slug?: string) {
  const res = await (handler as (r: Request, c: { params: Promise<{ slug: string }> }) => Promise<Response>)(
    new Request(`http://127.0.0.1:3300${p}`),
    { params: Promise.resolve({ slug: slug ?? '' }) },
  );
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function change(cloudId: string, from: string | null, to: string, at: Date) {
  const { organizationId } = await db.cloud.findUniqueOrThrow({ where: { id: cloudId } });
  await db.notification.create({
    data: {
      cloudId,
      organizationId,
      dedupeKey: `feed-test:${cloudId}:${at.toISOString()}`,
      kind: 'statusChange',
      fromStatus: from,
      toStatus: to,
      subject: 's',
      body: 'private body',
      createdAt: at,
    },
  });
}

describe('Atom feeds', () => {
  test("a public cloud's feed has its status changes, newest first; a private cloud's is a 404", async () => {
    const org = await makeOrg({ prefix: 'feed' });
    const pub = await makeCloud(org.id, { prefix: 'feed' });
    await db.cloud.update({ where: { id: pub.id }, data: { public: true } });
    const priv = await makeCloud(org.id, { prefix: 'feed' });
    await change(pub.id, null, 'FAIL', new Date('2026-11-01T00:00:00Z'));
    await change(pub.id, 'FAIL', 'PASS', new Date('2026-11-02T00:00:00Z'));
    await change(priv.id, null, 'PASS', new Date('2026-11-03T00:00:00Z'));
    const f = await get(cloudFeed.GET, `/status/${pub.slug}/feed.atom`, pub.slug);
    expect([f.status, f.type]).toEqual([200, 'application/atom+xml; charset=utf-8']);
    const updated = [...f.text.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => m[1]);
    expect(updated).toEqual(['2026-11-02T00:00:00.000Z', '2026-11-01T00:00:00.000Z']);
    expect(f.text).toContain(
      `<link rel="self" type="application/atom+xml" href="http://127.0.0.1:3300/status/${pub.slug}/feed.atom"/>`,
    );
    expect(f.text).not.toContain('private body');
    expect((await get(cloudFeed.GET, `/status/${priv.slug}/feed.atom`, priv.slug)).status).toBe(404);
    const all = await get(allFeed.GET, '/status/feed.atom');
    expect(all.status).toBe(200);
    expect(all.text).toContain(`/status/${pub.slug}"`);
    expect(all.text).not.toContain(`/status/${priv.slug}"`);
  });

  test('an archived cloud leaves the feeds', async () => {
    const org = await makeOrg({ prefix: 'feed' });
    const c = await makeCloud(org.id, { prefix: 'feed' });
    await db.cloud.update({ where: { id: c.id }, data: { public: true, archivedAt: new Date() } });
    await change(c.id, null, 'PASS', new Date());
    expect((await get(cloudFeed.GET, `/status/${c.slug}/feed.atom`, c.slug)).status).toBe(404);
    expect((await get(allFeed.GET, '/status/feed.atom')).text).not.toContain(`/status/${c.slug}"`);
  });

  test("the status page links its cloud's feed and the all-clouds feed with <link rel=alternate>", async () => {
    const org = await makeOrg({ prefix: 'feed' });
    const c = await makeCloud(org.id, { prefix: 'feed' });
    await db.cloud.update({ where: { id: c.id }, data: { public: true } });
    const page = await get(statusPage.GET, `/status/${c.slug}`, c.slug);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      new RegExp(
        `<link rel="alternate" type="application/atom\\+xml" title="[^"]+" href="/status/${c.slug}/feed.atom">`,
      ),
    );
    expect(page.text).toContain('href="/status/feed.atom"');
    expect(page.text).not.toContain('<script');
  });
});
