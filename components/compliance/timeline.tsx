import type { Timeline as TimelinePage } from '@/lib/compliance/timeline';
import { EmptyState } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';
import { timelineEntriesHtml } from './timeline-html';

function day(d: Date | string): string {
  return new Date(d).toISOString().slice(0, 10);
}

/**
 * The cloud's runs and attestation revisions in one list, newest first. Each entry's time is its
 * link (its accessible name says what it opens); on narrow screens the columns stack. The entries
 * are markup from ./timeline-html.ts.
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
          dangerouslySetInnerHTML={{ __html: timelineEntriesHtml(timeline.items).value }}
        />
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
