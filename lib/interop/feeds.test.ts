import { describe, expect, it } from 'vitest';
import { statusListHtml } from '../compliance/public-html';
import { LOOK } from '../compliance/presentation';
import { atomFeed, verdictChanges } from './feeds';

const EVIL = `<b>&"'</b>`;

describe('Atom feed of status changes', () => {
  const text = atomFeed({
    title: `Cloud ${EVIL}: status changes`,
    self: 'https://dash.example/status/alpha/feed.atom',
    page: 'https://dash.example/status/alpha',
    base: 'https://dash.example',
    updated: new Date('2030-01-02T03:04:05Z'),
    changes: [
      {
        id: '0b7a9a52-4c1f-4f6e-9d3e-2a1b3c4d5e6f',
        at: new Date('2030-01-02T03:04:05Z'),
        slug: 'alpha',
        name: `Alpha ${EVIL}`,
        status: 'PASS',
        changes: [{ profile: 'scs-0116 v1', from: 'FAIL', to: 'PASS' }],
      },
      {
        id: '1b7a9a52-4c1f-4f6e-9d3e-2a1b3c4d5e6f',
        at: new Date('2030-01-01T00:00:00Z'),
        slug: 'alpha',
        name: 'Alpha',
        status: 'FAIL',
        changes: verdictChanges({
          fromStatus: null,
          toStatus: 'FAIL',
          data: { official: { from: 'MISS', to: 'DNF', version: 'scs-compatible-iaas/v5.1' } },
        }),
      },
    ],
  });

  it('is an Atom document: feed id, title, updated, self and alternate links, author', () => {
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(
      true,
    );
    expect(text).toContain('<id>https://dash.example/status/alpha/feed.atom</id>');
    expect(text).toContain('<updated>2030-01-02T03:04:05.000Z</updated>');
    expect(text).toContain(
      '<link rel="self" type="application/atom+xml" href="https://dash.example/status/alpha/feed.atom"/>',
    );
    expect(text).toContain('<link rel="alternate" type="text/html" href="https://dash.example/status/alpha"/>');
    expect(text.match(/<entry>/g)).toHaveLength(2);
  });

  it('one entry per change, with the status words of lib/compliance and a stable id', () => {
    expect(text).toContain('<id>urn:uuid:0b7a9a52-4c1f-4f6e-9d3e-2a1b3c4d5e6f</id>');
    expect(text).toContain(`→ ${LOOK.PASS.label}</title>`);
    expect(text).toContain(`<category term="FAIL" label="${LOOK.FAIL.label}"/>`);
    expect(text).toContain('scs-0116 v1 no status → FAIL, SCS v5.1 MISS → DNF</title>');
    expect(text).toContain(`(${LOOK.DNF.meaning})`);
  });

  it('names what changed: the headline, the official verdict, or both; an unchanged one is left out', () => {
    const official = { official: { from: 'MISS', to: 'PASS', version: 'scs-compatible-iaas/v5.1' } };
    expect(verdictChanges({ fromStatus: 'MISS', toStatus: 'MISS', data: official })).toEqual([
      { profile: 'SCS v5.1', from: 'MISS', to: 'PASS' },
    ]);
    expect(verdictChanges({ fromStatus: 'FAIL', toStatus: 'PASS', data: official })).toEqual([
      { profile: 'scs-0116 v1', from: 'FAIL', to: 'PASS' },
      { profile: 'SCS v5.1', from: 'MISS', to: 'PASS' },
    ]);
    // A notification written before the official verdict was part of it.
    expect(verdictChanges({ fromStatus: 'FAIL', toStatus: 'PASS', data: null })).toEqual([
      { profile: 'scs-0116 v1', from: 'FAIL', to: 'PASS' },
    ]);
  });

  it('escapes every name (XML)', () => {
    expect(text).not.toContain(EVIL);
    expect(text).toContain('Alpha &lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;');
  });

  it('the status list links the feed for feed readers and people', () => {
    const page = statusListHtml([]).value;
    expect(page).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Status changes of all publicly listed clouds" href="/status/feed.atom">',
    );
    expect(page).toContain('<a href="/status/feed.atom">');
  });
});
