import { look, periodLabel, spoken } from '@/lib/compliance/presentation';
import type { History } from '@/lib/compliance/history';
import { historyStripsHtml } from '@/lib/compliance/history-html';
import { html, type Html } from '@/lib/html';
import { FilterSelect } from '@/components/ui/filters';

const statusTagClass = (large?: boolean) =>
  `inline-block rounded font-semibold ${large ? 'px-3 py-1 text-base' : 'px-2 py-0.5 text-xs'}`;

/** A status or verdict: colour AND its text label (never colour alone). */
export function StatusTag({ status, testId, large }: { status: string; testId?: string; large?: boolean }) {
  const l = look(status);
  return (
    <span
      data-testid={testId}
      data-status={status}
      title={l.meaning}
      className={statusTagClass(large)}
      style={{ background: l.soft, color: l.softInk, boxShadow: `inset 0 0 0 1px ${l.ring}` }}
    >
      <span aria-hidden="true">{l.label}</span>
      <span className="sr-only">{spoken(status)}</span>
    </span>
  );
}

/** StatusTag (small) as an HTML string, for lists drawn as markup (components/compliance/timeline-html.ts). */
export function statusTagHtml(status: string): Html {
  const l = look(status);
  return html`<span data-status="${status}" title="${l.meaning}" class="${statusTagClass()}" style="background:${l.soft};color:${l.softInk};box-shadow:inset 0 0 0 1px ${l.ring}"><span aria-hidden="true">${l.label}</span><span class="sr-only">${spoken(status)}</span></span>`;
}

/**
 * The history strips of the signed-in cloud page. The markup comes from lib/compliance/history-html.ts,
 * which the public status page (plain HTML, no JavaScript) uses as well; it escapes every value.
 */
export function HistoryStrips({ history, testId }: { history: History; testId?: string }) {
  return <div dangerouslySetInnerHTML={{ __html: historyStripsHtml(history, testId).value }} />;
}

export function PeriodFilter({
  basePath,
  period,
  periods,
}: {
  basePath: string;
  period: string;
  periods: readonly string[];
}) {
  return (
    <form method="get" action={basePath} className="flex items-end gap-2 text-sm" aria-label="History period">
      <FilterSelect
        name="period"
        label="Period"
        value={period}
        options={periods.map((p) => ({ value: p, label: periodLabel(p) }))}
      />
      <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">Show</button>
    </form>
  );
}
