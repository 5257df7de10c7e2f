import { parse, type HTMLElement } from 'node-html-parser';
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

/** The page as a tree: assertions read text and attributes, not markup. */
const dom = (html: string) => parse(html, { comment: false });
function one(root: HTMLElement, selector: string): HTMLElement {
  const found = root.querySelector(selector);
  expect(found, selector).not.toBeNull();
  return found!;
}
const texts = (root: HTMLElement, selector: string) => root.querySelectorAll(selector).map((e) => e.text.trim());
const EVIL_TEXT = `<script>alert("x")</script> & 'Co'`;

describe('public status pages', () => {
  test('are complete documents without any script', () => {
    for (const doc of [page(), statusListHtml([cloud()]).value, notFoundHtml().value]) {
      expect(doc.startsWith('<!DOCTYPE html>')).toBe(true);
      const root = dom(doc);
      expect(one(root, 'html').getAttribute('lang')).toBe('en');
      expect(one(root, 'meta[charset]').getAttribute('charset')).toBe('utf-8');
      expect(one(root, 'main').id).toBe('main');
      expect(one(root, 'a.skip').getAttribute('href')).toBe('#main');
      const css = one(root, 'style').text;
      expect(css).toContain('.hs-seg');
      expect(css).toContain('.card');
      expect(root.querySelectorAll('script')).toHaveLength(0);
      const handlers = root
        .querySelectorAll('*')
        .flatMap((e) => Object.keys(e.attributes).filter((a) => /^on/i.test(a)));
      expect(handlers).toEqual([]);
    }
  });

  test('escape cloud, organization and run texts', () => {
    const root = dom(page());
    expect(root.querySelectorAll('h1').map((h) => h.text)).toEqual([`Alpha ${EVIL_TEXT}`]);
    expect(root.querySelectorAll('script')).toHaveLength(0);
    expect(root.text).toContain(`Operated by Acme ${EVIL_TEXT}`);
    const shown = dom(page('30d', cloud({ publicRunMessages: true }, 'FAIL')));
    expect(shown.text).toContain('member got <403> & "nothing"');
    const list = dom(statusListHtml([cloud()]).value);
    expect(texts(list, 'td')).toContain(`Acme ${EVIL_TEXT}`);
    expect(list.querySelectorAll('script')).toHaveLength(0);
  });

  test('the list names each cloud with its status and certificate, or says there is none', () => {
    const root = dom(statusListHtml([cloud()]).value);
    expect(one(root, 'title').text).toBe('Certificate status · SCS Key-Manager Conformance');
    const rows = root.querySelectorAll('tr[data-testid="public-row"]');
    expect(rows.map((r) => r.getAttribute('data-cloud'))).toEqual(['alpha']);
    expect(one(rows[0], 'a').getAttribute('href')).toBe('/status/alpha');
    expect(one(rows[0], '[data-status]').getAttribute('data-status')).toBe('PASS');
    expect(rows[0].text).toContain('valid, until 2026-01-02');
    expect(one(root, 'caption').text).toBe('Publicly listed clouds');
    expect(one(root, 'caption').classList.contains('sr-only')).toBe(true);
    expect(dom(statusListHtml([]).value).text).toContain('No cloud is publicly listed yet.');
  });

  test('the status page keeps the test ids, badge, QR code, embed snippet and the period filter', () => {
    const root = dom(page());
    expect(one(root, 'title').text).toBe('Certificate status page · SCS Key-Manager Conformance');
    expect(one(root, '[data-testid="public-status-scs-0116-v1"]').getAttribute('data-status')).toBe('PASS');
    expect(one(root, '[data-testid="public-status-official"]').getAttribute('data-status')).toBe('PASS');
    for (const id of ['public-official', 'public-certificate', 'public-latest', 'public-changes'])
      one(root, `[data-testid="${id}"]`);
    const attestation = one(root, '[data-testid="public-attestation"]');
    expect([attestation.tagName, attestation.text]).toEqual(['DD', 'approved until 2025-09-28']);
    const badge = one(root, 'img[src="/badge/alpha.svg"]');
    expect([badge.getAttribute('alt'), badge.getAttribute('height')]).toEqual(['Status badge: PASS', '20']);
    const qr = one(root, 'img[src="/status/alpha/qr.svg"]');
    expect([qr.getAttribute('alt'), qr.getAttribute('width'), qr.getAttribute('height')]).toEqual([
      'QR code of https://status.example/status/alpha',
      '96',
      '96',
    ]);
    // The embed snippet is text to copy: markup shown, not rendered.
    const snippet = dom(one(root, 'textarea').text);
    expect(one(snippet, 'a').getAttribute('href')).toBe('https://status.example/status/alpha');
    expect(one(snippet, 'a img').getAttribute('src')).toBe('https://status.example/badge/alpha.svg');
    expect(one(snippet, 'a img').getAttribute('alt')).toBe('SCS Key Manager status');
    const form = one(root, 'form.period');
    expect([form.getAttribute('method'), form.getAttribute('action'), form.getAttribute('aria-label')]).toEqual([
      'get',
      '/status/alpha',
      'History period',
    ]);
    const options = (r: HTMLElement) =>
      one(r, 'form.period')
        .querySelectorAll('option')
        .map((o) => [o.getAttribute('value'), o.text, o.hasAttribute('selected')]);
    const selected = (r: HTMLElement) => options(r).filter((o) => o[2]);
    expect(options(root)).toContainEqual(['18m', '18 months', false]);
    expect(selected(root)).toEqual([['30d', '30 days', true]]);
    expect(selected(dom(page('18m')))).toEqual([['18m', '18 months', true]]);
  });

  test('result messages only where staff made them public; status changes, not every run', () => {
    const hidden = dom(page('30d', cloud({}, 'FAIL')));
    expect(hidden.text).not.toContain('member got');
    expect(hidden.text).not.toContain('denied'); // the history's day notes carry no message either
    expect(hidden.toString()).not.toContain('denied'); // nor any attribute
    expect(hidden.text).toContain('scs-0116-permissions is FAIL');
    expect(hidden.text).toContain('Result messages of this cloud are not public.');
    const shown = dom(page('30d', cloud({ publicRunMessages: true }, 'FAIL')));
    expect(shown.text).toContain('scs-0116-permissions is FAIL: member got <403>');
    expect(shown.querySelectorAll('[title]').map((e) => e.getAttribute('title'))).toContainEqual(
      expect.stringContaining('last: denied <b>"403"</b>'),
    );
    // The FAIL day of the history is two changes per row: PASS -> FAIL and FAIL -> PASS (3 rows but the draft).
    const changes = one(hidden, 'ul.changes[data-testid="public-changes"]').querySelectorAll('li');
    expect(changes).toHaveLength(4);
    expect(changes.map((li) => [one(li, '.when').text, li.querySelectorAll('span')[1].text])).toContainEqual([
      '2025-06-21',
      'scs-0116 v1',
    ]);
  });

  test('headings go in order: one h1, then h2 sections', () => {
    const levels = dom(page())
      .querySelectorAll('h1, h2, h3, h4, h5, h6')
      .map((h) => Number(h.tagName[1]));
    expect(levels[0]).toBe(1);
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(Math.max(...levels)).toBe(2);
  });

  test('not found names nothing about the cloud', () => {
    const root = dom(notFoundHtml().value);
    expect(texts(root, 'h1')).toEqual(['Not found']);
    expect(one(root, 'title').text).toBe('Not found · SCS Key-Manager Conformance');
  });
});

describe('history strips', () => {
  test('one keyboard stop per block of equal days, with the text on hover and focus', () => {
    const root = dom(historyStripsHtml(history(), 'public-history').value);
    const hs = root.firstChild as HTMLElement;
    expect([hs.tagName, hs.getAttribute('class'), hs.getAttribute('data-testid')]).toEqual([
      'DIV',
      'hs',
      'public-history',
    ]);
    const strip = one(root, '.hs-strip[aria-label="History of scs-0116-permissions"]');
    expect([strip.getAttribute('role'), strip.getAttribute('data-days')]).toEqual(['list', '30']);
    const stops = strip.querySelectorAll('.hs-seg');
    for (const s of stops) {
      expect([s.tagName, s.getAttribute('role'), s.getAttribute('tabindex')]).toEqual(['SPAN', 'listitem', '0']);
      expect(one(s, '.hs-tip').getAttribute('role')).toBe('tooltip');
      expect(s.getAttribute('style')).toMatch(/^flex-grow:\d+;background:#[0-9a-f]{6}$/);
    }
    // PASS before, the FAIL day, PASS after: three blocks of 30 days.
    expect(stops.map((s) => s.getAttribute('aria-label'))).toEqual([
      'PASS, 2025-06-01 to 2025-06-19 (19 days)',
      'FAIL, 2025-06-20',
      'PASS, 2025-06-21 to 2025-06-30 (10 days)',
    ]);
    const grow = stops.map((s) => Number(/flex-grow:(\d+)/.exec(s.getAttribute('style')!)![1]));
    expect(grow.reduce((a, b) => a + b)).toBe(30);
    // The block's note (with markup from the check's message) is text, not HTML.
    expect(stops[1].getAttribute('title')).toBe(
      'FAIL 2025-06-20 — 1 result: 0 PASS, 1 FAIL, 0 ABORT — last: denied <b>"403"</b>',
    );
    expect(one(stops[1], '.hs-tip').text).toBe(
      'scs-0116-permissions: FAIL 2025-06-20 — 1 result: 0 PASS, 1 FAIL, 0 ABORT — last: denied <b>"403"</b>',
    );
    expect(one(stops[1], '.hs-tip').querySelectorAll('b')).toHaveLength(0);
    // Blocks in the right half open their tooltip leftwards.
    expect(stops.map((s) => s.classList.contains('hs-end'))).toEqual([false, true, true]);
    expect(one(root, 'ul.hs-legend').getAttribute('aria-label')).toBe('Legend');
  });

  test('without a test id there is no empty attribute', () => {
    const hs = dom(historyStripsHtml(history()).value).firstChild as HTMLElement;
    expect(hs.getAttribute('class')).toBe('hs');
    expect(hs.hasAttribute('data-testid')).toBe(false);
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
    const root = dom(
      revocationListHtml([
        {
          ...entry,
          cloud: { slug: 'alpha', name: `Alpha ${EVIL}` },
          organization: `Acme ${EVIL}`,
          reason: `withdrawn ${EVIL}`,
        },
        { ...entry, id: 'k10', cloud: null, organization: null, reason: '' },
      ]).value,
    );
    expect(root.querySelectorAll('script')).toHaveLength(0);
    const rows = root.querySelectorAll('[data-testid="revoked-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0].text).toContain(`withdrawn ${EVIL_TEXT}`);
    expect(rows[1].text).toContain('unlisted cloud k10');
    expect(one(rows[1], 'span.muted.mono').text).toBe('k10');
    expect(texts(rows[0], 'td')).toContain('2025-03-04');
  });

  test('an empty list says so', () => {
    expect(dom(revocationListHtml([]).value).text).toContain('No certificate has been revoked.');
  });
});
