// The entries of the cloud page's timeline as HTML, like the history strips beside them: 25 entries
// drawn as React elements were about half of the page's RSC payload and 5 ms of its render. The
// markup is what TimelineList drew before; the tags come from the *Html twins next to each tag
// component, so their look is defined once.
import { html, type Html } from '@/lib/html';
import { formatDateTime } from '@/lib/format';
import type { AttestationEntry, RunEntry, TimelineEntry } from '@/lib/compliance/timeline';
import { tagHtml } from '@/components/ui/layout';
import { runStatusTagHtml } from '@/components/runs/verdict';
import { stateTagHtml } from '@/components/attestations/manual-result';
import { statusTagHtml } from './status';

function runLine(e: RunEntry): Html {
  const official = e.verdicts.filter((v) => !v.informational);
  const notPassing = e.verdicts.filter((v) => v.informational && v.verdict !== 'PASS');
  const notCounted =
    e.notCountedCause === 'signing-key'
      ? 'not counted: signed with a key the certification body has not approved'
      : 'not counted: another endpoint than the certified one';
  return html`${e.status !== 'finished' && runStatusTagHtml(e.status)}${official.map(
    (v) =>
      html`<span class="inline-flex items-center gap-1" data-testid="timeline-verdict" data-testcase="${v.testcase}"><code class="text-xs">${v.testcase}</code> ${statusTagHtml(v.verdict)}</span>`,
  )}${
    e.informational > 0 &&
    html`<span class="text-slate-600">${e.informational} km-* ${e.informational === 1 ? 'result' : 'results'}${
      notPassing.length === 0 ? ', all PASS' : `: ${notPassing.map((v) => `${v.testcase} ${v.verdict}`).join(', ')}`
    }</span>`
  }<span class="text-slate-600">· ${e.trigger}</span>${
    !e.counts &&
    html`<span class="text-yellow-900" data-testid="timeline-not-counted"${e.notCountedReason ? html` title="${e.notCountedReason}"` : ''}>· ${notCounted}</span>`
  }${e.error && html`<span class="basis-full text-slate-700">${e.error}</span>`}`;
}

function attestationLine(e: AttestationEntry): Html {
  const by = e.decidedByLabel ? `by ${e.decidedByLabel}` : '';
  const what = {
    draft: 'not submitted yet',
    submitted: 'waiting for review',
    changes_requested: by,
    rejected: by,
    approved: [by, `${e.expired ? 'expired' : 'valid until'} ${formatDateTime(e.expiresAt)}`]
      .filter(Boolean)
      .join('; '),
  }[e.state];
  return html`${stateTagHtml(e.state)}${e.expired && tagHtml('Expired', 'yellow')}${
    what && html`<span class="text-slate-700">${what}</span>`
  }${e.superseded && html`<span class="text-slate-600">· superseded by a later approval</span>`}`;
}

/** The <li> of each entry, newest first; each entry's time is its link, its accessible name says what it opens. */
export function timelineEntriesHtml(items: TimelineEntry[]): Html {
  return html`${items.map((e) => {
    const at = e.at.toISOString();
    const href = e.kind === 'run' ? `/runs/${e.id}` : `/attestations/${e.id}`;
    const opens = e.kind === 'run' ? 'Run of ' : `Attestation revision ${e.revision}, `;
    return html`<li data-testid="timeline-entry" data-kind="${e.kind}" data-id="${e.id}" data-at="${at}" class="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 sm:grid sm:grid-cols-[10.5rem_8.5rem_1fr]"><a class="whitespace-nowrap font-medium text-blue-800 underline-offset-2 hover:underline" href="${href}"><span class="sr-only">${opens}</span><time datetime="${at}">${formatDateTime(e.at)}</time></a><span class="text-slate-700">${e.kind === 'run' ? 'Run' : `Attestation rev. ${e.revision}`}</span><span class="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">${e.kind === 'run' ? runLine(e) : attestationLine(e)}</span></li>`;
  })}`;
}
