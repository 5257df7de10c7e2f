// The cloud page's timeline entries, drawn as HTML (components/compliance/timeline-html.ts): what the
// e2e timeline spec reads, and nothing from a cloud or a reviewer reaches the page unescaped.
import { describe, expect, it } from 'vitest';
import { timelineEntriesHtml } from '@/components/compliance/timeline-html';
import type { AttestationEntry, RunEntry } from '@/lib/compliance/timeline';

const at = new Date('2026-11-28T03:13:38.029Z');
const run = (over: Partial<RunEntry> = {}): RunEntry => ({
  kind: 'run',
  id: 'r1',
  at,
  queuedAt: at,
  finishedAt: at,
  trigger: 'schedule',
  status: 'finished',
  error: null,
  verdicts: [
    { testcase: 'scs-0116-presence', verdict: 'PASS', informational: false },
    { testcase: 'scs-0116-permissions', verdict: 'FAIL', informational: false },
    { testcase: 'km-tls', verdict: 'FAIL', informational: true },
  ],
  informational: 1,
  counts: true,
  notCountedReason: null,
  notCountedCause: null,
  ...over,
});
const attestation = (over: Partial<AttestationEntry> = {}): AttestationEntry => ({
  kind: 'attestation',
  id: 'a1',
  at,
  revision: 3,
  state: 'approved',
  createdAt: at,
  submittedAt: at,
  decidedAt: at,
  expiresAt: new Date('2027-02-26T00:00:00Z'),
  expired: false,
  superseded: false,
  decidedByLabel: 'reviewer@scs.example',
  ...over,
});

describe('timelineEntriesHtml', () => {
  it('draws a run: its time links to it, one verdict tag per official testcase, the km-* results summed up', () => {
    const out = timelineEntriesHtml([run()]).value;
    expect(out).toMatch(
      /^<li data-testid="timeline-entry" data-kind="run" data-id="r1" data-at="2026-11-28T03:13:38.029Z"/,
    );
    expect(out).toContain(
      '<a class="whitespace-nowrap font-medium text-blue-800 underline-offset-2 hover:underline" href="/runs/r1"><span class="sr-only">Run of </span><time datetime="2026-11-28T03:13:38.029Z">2026-11-28 03:13 UTC</time></a>',
    );
    expect(out.match(/data-testid="timeline-verdict"/g)).toHaveLength(2);
    expect(out).toMatch(
      /data-testcase="scs-0116-permissions"><code class="text-xs">scs-0116-permissions<\/code> <span data-status="FAIL"/,
    );
    expect(out).toContain('1 km-* result: km-tls FAIL</span>');
    expect(out).toContain('· schedule');
    expect(out).not.toContain('timeline-not-counted');
  });

  it('says why a run does not count, shows an unfinished run state and its error', () => {
    const out = timelineEntriesHtml([
      run({
        status: 'interrupted',
        counts: false,
        notCountedCause: 'signing-key',
        notCountedReason: 'key k1',
        error: 'worker died',
      }),
    ]).value;
    expect(out).toContain('bg-red-100 text-red-900">interrupted</span>');
    expect(out).toContain('data-testid="timeline-not-counted" title="key k1">· not counted: signed with a key');
    expect(out).toContain('<span class="basis-full text-slate-700">worker died</span>');
  });

  it('draws an attestation revision with its state, reviewer and validity', () => {
    const out = timelineEntriesHtml([attestation({ expired: true, superseded: true })]).value;
    expect(out).toContain('href="/attestations/a1"><span class="sr-only">Attestation revision 3, </span>');
    expect(out).toContain('<span data-testid="attestation-state" data-state="approved">');
    expect(out).toContain('>Expired</span>');
    expect(out).toContain('by reviewer@scs.example; expired 2027-02-26 00:00 UTC');
    expect(out).toContain('superseded by a later approval');
  });

  it('escapes what others wrote: a run error, a not-counted reason, a reviewer label, a trigger', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const out = timelineEntriesHtml([
      run({ error: evil, counts: false, notCountedReason: evil, trigger: evil }),
      attestation({ decidedByLabel: evil }),
    ]).value;
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
    expect(out).toContain('title="&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;"');
  });
});
