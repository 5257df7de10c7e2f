import { look, spoken } from '@/lib/compliance/presentation';
import type { History, Strip } from '@/lib/compliance/history';

/** A status or verdict: colour AND its text label (never colour alone). */
export function StatusTag({ status, testId }: { status: string; testId?: string }) {
  const l = look(status);
  return (
    <span data-testid={testId} data-status={status} title={l.meaning}
      className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${l.tag}`}>
      <span aria-hidden="true">{l.label}</span><span className="sr-only">{spoken(status)}</span>
    </span>
  );
}

export function Legend() {
  return (
    <ul className="flex flex-wrap gap-3 text-xs text-slate-700" aria-label="Legend">
      {(['PASS', 'INCONCLUSIVE', 'MISSING', 'FAIL'] as const).map((s) => (
        <li key={s} className="flex items-center gap-1">
          <span className="inline-block h-3 w-3 rounded-sm" style={{ background: look(s).fill }} aria-hidden="true" />
          <strong>{look(s).label}</strong> {look(s).meaning}
        </li>
      ))}
    </ul>
  );
}

function range(from: string, to: string, days: number): string {
  return from === to ? from : `${from} to ${to} (${days} days)`;
}

/**
 * One row of history: one cell per day, drawn as blocks of consecutive days with the same verdict
 * (a block's width is its number of days). Each block is one keyboard stop whose text shows on hover
 * and on focus (CSS only, no client JavaScript). Per-day counts and notes are in the history export.
 * Drawing blocks instead of 548 elements keeps an 18-month page small (and fast).
 */
function Row({ label, sub, segments, notes }: {
  label: string; sub?: string;
  segments: Array<{ from: string; to: string; days: number; verdict: string }>;
  notes?: Map<string, string>;
}) {
  return (
    <div className="grid grid-cols-1 gap-1 sm:grid-cols-[12rem_1fr] sm:items-center">
      <div className="text-xs"><span className="font-mono">{label}</span>{sub && <span className="block text-slate-600">{sub}</span>}</div>
      <div className="flex h-6 w-full" role="list" aria-label={`History of ${label}`} data-days={segments.reduce((n, s) => n + s.days, 0)}>
        {segments.map((s) => {
          const note = notes?.get(s.from);
          const text = `${look(s.verdict).label} ${range(s.from, s.to, s.days)}${note ? ` — ${note}` : ''}`;
          return (
            <span key={s.from} role="listitem" tabIndex={0} aria-label={`${spoken(s.verdict)}, ${range(s.from, s.to, s.days)}`} title={text}
              className="group relative min-w-px focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-700 focus-visible:ring-offset-1"
              style={{ flexGrow: s.days, flexBasis: 0, background: look(s.verdict).fill }}>
              <span role="tooltip" className="pointer-events-none absolute left-0 top-7 z-10 hidden w-max max-w-xs rounded bg-slate-900 px-2 py-1 text-xs text-white group-hover:block group-focus:block">{label}: {text}</span>
            </span>
          );
        })}
      </div>
    </div>
  );
}

export function HistoryStrips({ history, testId }: { history: History; testId?: string }) {
  return (
    <div className="space-y-3" data-testid={testId}>
      <p className="text-xs text-slate-600">{history.from} to {history.to}, one cell per day (UTC). Tab through the strips: each stop is a stretch of days with the same verdict; per-day details are in the CSV and JSON export.</p>
      {history.compliance.map((c) => (
        <Row key={c.standard} label={c.name} sub={`compliance: ${c.share.PASS} of ${c.days.length} days PASS`} segments={c.segments} />
      ))}
      {history.strips.map((s: Strip) => (
        <Row key={s.testcase} label={s.testcase} sub={s.requirement} segments={s.segments}
          notes={new Map(s.segments.map((g) => [g.from, s.cells.find((c) => c.day === g.from)?.note ?? '']))} />
      ))}
      <Legend />
    </div>
  );
}

export function PeriodFilter({ basePath, period, periods }: { basePath: string; period: string; periods: readonly string[] }) {
  return (
    <form method="get" action={basePath} className="flex items-end gap-2 text-sm" aria-label="History period">
      <label>Period
        <select name="period" defaultValue={period} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5">
          {periods.map((p) => <option key={p} value={p}>{p.replace('d', ' days').replace('m', ' months')}</option>)}
        </select>
      </label>
      <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100">Show</button>
    </form>
  );
}
