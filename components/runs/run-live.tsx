'use client';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useRouter } from 'next/navigation';
import type { RunSnapshot } from '@/lib/runs/service';
import { RunStatusTag, VerdictTag } from './verdict';

const TERMINAL = new Set(['finished', 'cancelled', 'interrupted']);

// The latest status of each run on this page, so that the page header follows the live stream
// that RunLive reads (one EventSource per page, not one per widget).
const statuses = new Map<string, string>();
const listeners = new Set<() => void>();
function publish(id: string, status: string) {
  if (statuses.get(id) === status) return;
  statuses.set(id, status);
  for (const l of listeners) l();
}
function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The run's status as the live stream reports it (the server's value until the stream says more). */
export function LiveRunStatus({ id, initial }: { id: string; initial: string }) {
  const status = useSyncExternalStore(
    subscribe,
    () => statuses.get(id) ?? initial,
    () => initial,
  );
  return (
    <span data-testid="header-run-status" data-status={status}>
      <RunStatusTag status={status} />
    </span>
  );
}

function elapsed(from: string | null, to: string | null, now: number): string {
  if (!from) return '—';
  const ms = Math.max(0, (to ? Date.parse(to) : now) - Date.parse(from));
  const s = Math.floor(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The run as it happens: the server streams snapshots (SSE), so opening or reloading the page
 * mid-run starts from the stored state. When the run ends the page reloads its server part
 * (evidence, diff).
 */
export function RunLive({ initial }: { initial: RunSnapshot }) {
  const [snap, setSnap] = useState(initial);
  const [now, setNow] = useState(() => Date.now());
  const [connection, setConnection] = useState<'live' | 'reconnecting' | 'ended'>(
    TERMINAL.has(initial.status) ? 'ended' : 'live',
  );
  const router = useRouter();
  const refreshed = useRef(TERMINAL.has(initial.status));

  useEffect(() => {
    if (TERMINAL.has(initial.status)) return;
    const es = new EventSource(`/api/v1/runs/${initial.id}/events`);
    es.addEventListener('snapshot', (ev) => {
      const s = JSON.parse((ev as MessageEvent<string>).data) as RunSnapshot;
      setSnap(s);
      publish(s.id, s.status);
      setConnection('live');
      if (TERMINAL.has(s.status)) {
        es.close();
        setConnection('ended');
        if (!refreshed.current) {
          refreshed.current = true;
          router.refresh();
        }
      }
    });
    es.onerror = () => setConnection((c) => (c === 'ended' ? c : 'reconnecting'));
    const tick = setInterval(() => setNow(Date.now()), 500);
    return () => {
      es.close();
      clearInterval(tick);
    };
  }, [initial.id, initial.status, router]);

  const p = snap.progress;
  const total = p?.total ?? snap.results.length;
  const done = snap.results.length;
  const pct = total ? Math.round((done / total) * 100) : TERMINAL.has(snap.status) ? 100 : 0;
  const byId = new Map(snap.results.map((r) => [r.testcase, r]));
  const checks = p?.checks ?? snap.results.map((r) => ({ id: r.testcase, title: r.testcase }));

  return (
    <section
      aria-labelledby="progress-title"
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="run-live"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="progress-title" className="font-semibold">
          Progress
        </h2>
        <p className="text-sm text-slate-600">
          <span data-testid="run-status">
            <RunStatusTag status={snap.status} />
          </span>{' '}
          elapsed <span data-testid="elapsed">{elapsed(snap.startedAt, snap.finishedAt, now)}</span>
          {connection === 'reconnecting' && <span className="ml-2 text-yellow-800">(reconnecting…)</span>}
          {snap.cancelRequested && snap.status === 'running' && (
            <span className="ml-2 text-yellow-800">(cancelling…)</span>
          )}
        </p>
      </div>
      <div
        className="mt-3 h-3 w-full overflow-hidden rounded bg-slate-200"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
        aria-label="Checks done"
      >
        <div className="h-full bg-blue-700 transition-all" style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-sm text-slate-700" data-testid="progress-count">
        {done} of {total || '?'} {total === 1 ? 'check' : 'checks'} done
      </p>
      {snap.status === 'queued' && <p className="mt-2 text-sm text-slate-600">Waiting for a worker…</p>}
      {snap.status === 'running' && (
        <p className="mt-2 text-sm" aria-live="polite" data-testid="current-step">
          {p?.current ? (
            <>
              Now: <strong>{p.current.title}</strong>
            </>
          ) : (
            'Preparing…'
          )}
          {p?.step && <span className="ml-2 font-mono text-xs text-slate-600">{p.step}</span>}
        </p>
      )}
      {snap.error && (
        <p
          className="mt-2 rounded border border-yellow-300 bg-yellow-50 px-3 py-2 text-sm text-yellow-900"
          role="status"
        >
          {snap.error}
        </p>
      )}
      {TERMINAL.has(snap.status) ? null : (
        <ol className="mt-3 grid gap-1 text-sm sm:grid-cols-2" aria-label="Checks of this run">
          {checks.map((c) => {
            const r = byId.get(c.id);
            const running = !r && p?.current?.id === c.id;
            return (
              <li key={c.id} className="flex items-center gap-2" data-testid={`check-${c.id}`}>
                {r ? (
                  <VerdictTag verdict={r.verdict} />
                ) : (
                  <span
                    className={`inline-block w-12 text-center text-xs ${running ? 'font-semibold text-blue-800' : 'text-slate-400'}`}
                  >
                    {running ? 'running' : 'waiting'}
                  </span>
                )}
                <span className={r ? '' : 'text-slate-600'}>{c.title}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
