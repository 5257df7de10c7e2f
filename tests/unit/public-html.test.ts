import { describe, expect, test } from 'vitest';
import type { CloudCompliance } from '@/lib/compliance';
import { buildHistory } from '@/lib/compliance/history';
import type { DayAggregate } from '@/lib/compliance/data';
import { evaluateAll, officialVerdict } from '@/lib/compliance/verdict';
import { historyStripsHtml } from '@/lib/compliance/history-html';
import { notFoundHtml, revocationListHtml, statusListHtml, statusPageHtml } from '@/lib/compliance/public-html';

const now = new Date('2025-06-30T12:00:00Z');
const day = 86_400_000;
const EVIL = `<script>alert("x")</script> & 'Co'`;

function cloud(over: Partial<CloudCompliance['cloud']> = {}, permissions: 'PASS' | 'FAIL' = 'PASS'): CloudCompliance {
  const checkedAt = new Date(now.getTime() - 3_600_000);
  const manual = {
    verdict: 'PASS' as const,
    reason: 'approved',
    decidedAt: new Date(now.getTime() - day),
    expiresAt: new Date(now.getTime() + 90 * day),
  };
  const evaluations = evaluateAll(
    {
      'scs-0116-presence': { verdict: 'PASS', checkedAt },
      'scs-0116-permissions': { verdict: permissions, checkedAt, message: `member got <403> & "nothing"` },
    },
    manual,
    now,
  );
  return {
    cloud: {
      id: 'c1',
      slug: 'alpha',
      name: `Alpha ${EVIL}`,
      public: true,
      archived: false,
      region: 'RegionOne',
      publicRunMessages: false,
      organization: { id: 'o1', slug: 'acme', name: `Acme ${EVIL}` },
      ...over,
    },
    evaluations,
    status: evaluations.find((e) => e.standard === 'scs-0116-v1')!.status,
    official: officialVerdict(evaluations),
    manual,
    openAttestation: null,
    certificate: {
      state: 'valid',
      current: {
        id: 'k1',
        cloudId: 'c1',
        standard: 'scs-0116-v1',
        grantedAt: new Date('2025-01-02T00:00:00Z'),
        validUntil: new Date('2026-01-02T00:00:00Z'),
        grantedByLabel: 'staff',
        revokedAt: null,
        revokedReason: null,
      },
      all: [],
    },
    lastRun: null,
    schedule: 'daily',
    nextRunAt: null,
  };
}

/** 30 days of PASS for both testcases with a FAIL 10 days ago, carrying a note with markup in it. */
function history() {
  const aggregates: DayAggregate[] = [];
  for (let i = 0; i < 30; i++) {
    const d = new Date(now.getTime() - i * day);
    for (const testcase of ['scs-0116-presence', 'scs-0116-permissions']) {
      const fail = i === 10 && testcase === 'scs-0116-permissions';
      aggregates.push({
        testcase,
        day: d.toISOString().slice(0, 10),
        pass: fail ? 0 : 1,
        fail: fail ? 1 : 0,
        abort: 0,
        last: fail ? 'FAIL' : 'PASS',
        lastAt: d,
        lastMessage: fail ? `denied <b>"403"</b>` : 'ok',
      });
    }
  }
  return buildHistory(
    now,
    '30d',
    aggregates,
    {},
    [
      {
        id: 'a1',
        revision: 1,
        state: 'approved',
        decidedAt: new Date(now.getTime() - 40 * day),
        expiresAt: new Date(now.getTime() + 50 * day),
      },
    ],
    new Date(now.getTime() - 60 * day),
  );
}

function page(period: '30d' | '18m' = '30d', c = cloud()) {
  return statusPageHtml({ cloud: c, history: history(), period, base: 'https://status.example' }).value;
}

describe('public status pages', () => {
  test('are complete documents without any script', () => {
    for (const doc of [page(), statusListHtml([cloud()]).value, notFoundHtml().value]) {
      expect(doc).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
      expect(doc).toContain('<meta charset="utf-8">');
      expect(doc).toContain('<main id="main"');
      expect(doc).toContain('<a class="skip" href="#main">');
      expect(doc).toMatch(/<style>[^<]*\.hs-seg[^<]*\.card[^<]*<\/style>/);
      expect(doc).not.toMatch(/<script/i);
      expect(doc).not.toMatch(/ on[a-z]+=/i);
    }
  });

  test('escape cloud, organization and run texts', () => {
    const doc = page();
    expect(doc).toContain('<h1>Alpha &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;</h1>');
    expect(doc).toContain('Operated by Acme &lt;script&gt;');
    const shown = page('30d', cloud({ publicRunMessages: true }, 'FAIL'));
    expect(shown).toContain('member got &lt;403&gt; &amp; &quot;nothing&quot;');
    expect(statusListHtml([cloud()]).value).toContain(
      '<td>Acme &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;</td>',
    );
  });

  test('the list names each cloud with its status and certificate, or says there is none', () => {
    const doc = statusListHtml([cloud()]).value;
    expect(doc).toContain('<title>Certificate status · SCS Key-Manager Conformance</title>');
    expect(doc).toContain('<tr data-testid="public-row" data-cloud="alpha">');
    expect(doc).toContain('<a href="/status/alpha">');
    expect(doc).toContain('data-status="PASS"');
    expect(doc).toContain('valid, until 2026-01-02');
    expect(doc).toContain('<caption class="sr-only">Publicly listed clouds</caption>');
    expect(statusListHtml([]).value).toContain('No cloud is publicly listed yet.');
  });

  test('the status page keeps the test ids, badge, QR code, embed snippet and the period filter', () => {
    const doc = page();
    expect(doc).toContain('<title>Certificate status page · SCS Key-Manager Conformance</title>');
    expect(doc).toContain('data-testid="public-status-scs-0116-v1" data-status="PASS"');
    expect(doc).toContain('data-testid="public-official"');
    expect(doc).toContain('<dd data-testid="public-attestation">approved until 2025-09-28</dd>');
    expect(doc).toContain('data-testid="public-certificate"');
    expect(doc).toContain('data-testid="public-latest"');
    expect(doc).toContain('data-testid="public-changes"');
    expect(doc).toContain('data-testid="public-status-official" data-status="PASS"');
    expect(doc).toContain('<img src="/badge/alpha.svg" alt="Status badge: PASS" height="20">');
    expect(doc).toContain(
      '<img src="/status/alpha/qr.svg" alt="QR code of https://status.example/status/alpha" width="96" height="96">',
    );
    expect(doc).toContain(
      '&lt;a href=&quot;https://status.example/status/alpha&quot;&gt;&lt;img src=&quot;https://status.example/badge/alpha.svg&quot; alt=&quot;SCS Key Manager status&quot;&gt;&lt;/a&gt;</textarea>',
    );
    expect(doc).toContain('<form class="period" method="get" action="/status/alpha" aria-label="History period">');
    expect(doc).toContain('<option value="30d" selected>30 days</option>');
    expect(doc).toContain('<option value="18m">18 months</option>');
    expect(page('18m')).toContain('<option value="18m" selected>18 months</option>');
  });

  test('result messages only where staff made them public; status changes, not every run', () => {
    const hidden = page('30d', cloud({}, 'FAIL'));
    expect(hidden).not.toContain('member got');
    expect(hidden).not.toContain('denied'); // the history's day notes carry no message either
    expect(hidden).toContain('scs-0116-permissions is FAIL');
    expect(hidden).toContain('Result messages of this cloud are not public.');
    const shown = page('30d', cloud({ publicRunMessages: true }, 'FAIL'));
    expect(shown).toContain('scs-0116-permissions is FAIL: member got &lt;403&gt;');
    expect(shown).toContain('last: denied &lt;b&gt;');
    // The FAIL day of the history is two changes per row: PASS -> FAIL and FAIL -> PASS (3 rows but the draft).
    const changes = hidden.match(/<ul class="changes" data-testid="public-changes">(.*?)<\/ul>/s)![1];
    expect(changes.match(/<li>/g)).toHaveLength(4);
    expect(changes).toContain('<span class="when">2025-06-21</span> <span>scs-0116 v1</span>');
  });

  test('headings go in order: one h1, then h2 sections', () => {
    const levels = [...page().matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(Math.max(...levels)).toBe(2);
  });

  test('not found names nothing about the cloud', () => {
    const doc = notFoundHtml().value;
    expect(doc).toContain('<h1>Not found</h1>');
    expect(doc).toContain('<title>Not found · SCS Key-Manager Conformance</title>');
  });
});

describe('history strips', () => {
  test('one keyboard stop per block of equal days, with the text on hover and focus', () => {
    const out = historyStripsHtml(history(), 'public-history').value;
    expect(out).toMatch(/^<div class="hs" data-testid="public-history">/);
    const strip = out.match(
      /<div class="hs-strip" role="list" aria-label="History of scs-0116-permissions" data-days="30">(.*?)<\/div>/,
    )![1];
    const stops = [
      ...strip.matchAll(
        /<span role="listitem" tabindex="0" class="hs-seg( hs-end)?" style="flex-grow:(\d+);background:(#[0-9a-f]{6})" aria-label="([^"]*)" title="([^"]*)"><span role="tooltip" class="hs-tip">([^<]*)<\/span><\/span>/g,
      ),
    ];
    // PASS before, the FAIL day, PASS after: three blocks of 30 days.
    expect(stops.map((s) => s[4])).toEqual([
      'PASS, 2025-06-01 to 2025-06-19 (19 days)',
      'FAIL, 2025-06-20',
      'PASS, 2025-06-21 to 2025-06-30 (10 days)',
    ]);
    expect(stops.map((s) => Number(s[2])).reduce((a, b) => a + b)).toBe(30);
    // The block's note (with markup from the check's message) is text, not HTML.
    expect(stops[1][5]).toBe(
      'FAIL 2025-06-20 — 1 result: 0 PASS, 1 FAIL, 0 ABORT — last: denied &lt;b&gt;&quot;403&quot;&lt;/b&gt;',
    );
    expect(stops[1][6]).toBe(
      'scs-0116-permissions: FAIL 2025-06-20 — 1 result: 0 PASS, 1 FAIL, 0 ABORT — last: denied &lt;b&gt;&quot;403&quot;&lt;/b&gt;',
    );
    // Blocks in the right half open their tooltip leftwards.
    expect(stops.map((s) => !!s[1])).toEqual([false, true, true]);
    expect(out).toContain('<ul class="hs-legend" aria-label="Legend">');
  });

  test('without a test id there is no empty attribute', () => {
    expect(historyStripsHtml(history()).value).toMatch(/^<div class="hs">/);
  });
});

describe('revocation list page', () => {
  const entry = {
    id: 'k9',
    standard: 'scs-0116-v1',
    grantedAt: new Date('2025-01-02T00:00:00Z'),
    validUntil: new Date('2026-01-02T00:00:00Z'),
    revokedAt: new Date('2025-03-04T00:00:00Z'),
  };
  test('names listed clouds with their reason as text, and unlisted ones by certificate id only', () => {
    const out = revocationListHtml([
      {
        ...entry,
        cloud: { slug: 'alpha', name: `Alpha ${EVIL}` },
        organization: `Acme ${EVIL}`,
        reason: `withdrawn ${EVIL}`,
      },
      { ...entry, id: 'k10', cloud: null, organization: null, reason: '' },
    ]).value;
    expect(out).not.toMatch(/<script/i);
    expect(out).toContain('withdrawn &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;');
    expect(out.match(/data-testid="revoked-row"/g)).toHaveLength(2);
    expect(out).toContain('unlisted cloud <span class="muted mono">k10</span>');
    expect(out).toContain('<td>2025-03-04</td>');
  });

  test('an empty list says so', () => {
    expect(revocationListHtml([]).value).toContain('No certificate has been revoked.');
  });
});
