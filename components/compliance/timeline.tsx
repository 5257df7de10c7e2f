import Link from 'next/link';
import type { AttestationEntry, RunEntry, Timeline as TimelinePage } from '@/lib/compliance/timeline';
import { EmptyState, Tag, formatDate } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';
import { RunStatusTag } from '@/components/runs/verdict';
import { StateTag } from '@/components/attestations/manual-result';
import { StatusTag } from './status';

function day(d: Date | string): string {
  return new Date(d).toISOString().slice(0, 10);
}

function RunLine({ e }: { e: RunEntry }) {
  const official = e.verdicts.filter((v) => !v.informational);
  const km = e.verdicts.filter((v) => v.informational);
  const notPassing = km.filter((v) => v.verdict !== 'PASS');
  return (
    <>
      {e.status !== 'finished' && <RunStatusTag status={e.status} />}
      {official.map((v) => (
        <span
          key={v.testcase}
          className="inline-flex items-center gap-1"
          data-testid="timeline-verdict"
          data-testcase={v.testcase}
        >
          <code className="text-xs">{v.testcase}</code> <StatusTag status={v.verdict} />
        </span>
      ))}
      {e.informational > 0 && (
        <span className="text-slate-600">
          {e.informational} km-* {e.informational === 1 ? 'result' : 'results'}
          {notPassing.length === 0
            ? ', all PASS'
            : `: ${notPassing.map((v) => `${v.testcase} ${v.verdict}`).join(', ')}`}
        </span>
      )}
      <span className="text-slate-600">· {e.trigger}</span>
      {!e.counts && (
        <span className="text-yellow-900" data-testid="timeline-not-counted" title={e.notCountedReason ?? undefined}>
          ·{' '}
          {e.notCountedCause === 'signing-key'
            ? 'not counted: signed with a key the certification body has not approved'
            : 'not counted: another endpoint than the certified one'}
        </span>
      )}
      {e.error && <span className="basis-full text-slate-700">{e.error}</span>}
    </>
  );
}

function AttestationLine({ e }: { e: AttestationEntry }) {
  const by = e.decidedByLabel ? `by ${e.decidedByLabel}` : '';
  const what = {
    draft: 'not submitted yet',
    submitted: 'waiting for review',
    changes_requested: by,
    rejected: by,
    approved: [by, `${e.expired ? 'expired' : 'valid until'} ${formatDate(e.expiresAt)}`].filter(Boolean).join('; '),
  }[e.state];
  return (
    <>
      <StateTag state={e.state} />
      {e.expired && <Tag tone="yellow">Expired</Tag>}
      {what && <span className="text-slate-700">{what}</span>}
      {e.superseded && <span className="text-slate-600">· superseded by a later approval</span>}
    </>
  );
}

/**
 * The cloud's runs and attestation revisions in one list, newest first. Each entry's time is its
 * link (its accessible name says what it opens); on narrow screens the columns stack.
 */
export function TimelineList({ timeline, basePath, id }: { timeline: TimelinePage; basePath: string; id: string }) {
  const range = `${day(timeline.from)} to ${day(new Date(timeline.to.getTime() - 1))}`;
  if (timeline.total === 0) {
    return (
      <EmptyState title="No runs or attestation revisions in this period.">
        {range} (UTC).{timeline.period !== '18m' && ' Choose a longer period above to see earlier ones.'}
      </EmptyState>
    );
  }
  return (
    <div data-testid="timeline">
      <p className="mb-2 text-xs text-slate-600">
        {range} (UTC, the period chosen for the history), newest first. A run is placed when it was queued, a revision
        when it reached its current state.
      </p>
      {timeline.items.length === 0 ? (
        <p className="text-sm">This page is past the end of the list.</p>
      ) : (
        <ol
          className="divide-y divide-slate-100 text-sm"
          aria-label={`Runs and attestation revisions, newest first, page ${timeline.page} of ${timeline.pages}`}
        >
          {timeline.items.map((e) => (
            <li
              key={`${e.kind}-${e.id}`}
              data-testid="timeline-entry"
              data-kind={e.kind}
              data-id={e.id}
              data-at={e.at.toISOString()}
              className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 sm:grid sm:grid-cols-[10.5rem_8.5rem_1fr]"
            >
              <Link
                className="whitespace-nowrap font-medium text-blue-800 underline-offset-2 hover:underline"
                href={e.kind === 'run' ? `/runs/${e.id}` : `/attestations/${e.id}`}
              >
                <span className="sr-only">{e.kind === 'run' ? 'Run of ' : `Attestation revision ${e.revision}, `}</span>
                <time dateTime={e.at.toISOString()}>{formatDate(e.at)}</time>
              </Link>
              <span className="text-slate-700">{e.kind === 'run' ? 'Run' : `Attestation rev. ${e.revision}`}</span>
              <span className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
                {e.kind === 'run' ? <RunLine e={e} /> : <AttestationLine e={e} />}
              </span>
            </li>
          ))}
        </ol>
      )}
      <Pagination
        page={timeline.page}
        pages={timeline.pages}
        total={timeline.total}
        basePath={basePath}
        params={{ period: timeline.period }}
        param="tpage"
        label="Timeline pages"
        fragment={id}
      />
    </div>
  );
}
