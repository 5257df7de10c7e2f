// One heartbeat per worker process: every interval, one UPDATE stamps every run this process is
// executing (database time, so clocks of different machines do not matter) and returns the runs
// staff asked to cancel, whose checks are then aborted. A run whose heartbeat is older than
// STALE_FACTOR intervals belongs to a dead worker and is marked interrupted by markInterrupted.

import { db } from '../db';
import { config } from '../config';

export const DEFAULT_HEARTBEAT_MS = 15_000;
/** A run is interrupted when its heartbeat is this many intervals old (default 4 x 15 s = 60 s). */
export const STALE_FACTOR = 4;

export function heartbeatIntervalMs(): number {
  return config().RUN_HEARTBEAT_MS;
}

export class RunHeartbeat {
  private readonly active = new Map<string, AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;

  constructor(
    readonly intervalMs = heartbeatIntervalMs(),
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
  }

  register(runId: string, controller: AbortController): void {
    this.active.set(runId, controller);
  }

  unregister(runId: string): void {
    this.active.delete(runId);
  }

  get size(): number {
    return this.active.size;
  }

  /** The runs this process is executing: alive whatever their stamp says. */
  get runIds(): string[] {
    return [...this.active.keys()];
  }

  /** Stamp all active runs now; abort those with a cancel request. */
  beat(): Promise<void> {
    if (this.beating || this.active.size === 0) return this.beating ?? Promise.resolve();
    const ids = [...this.active.keys()];
    this.beating = (async () => {
      try {
        const rows = await db.$queryRaw<Array<{ id: string; cancel: boolean }>>`
          UPDATE "Run" SET "heartbeatAt" = now()
          WHERE id = ANY(${ids}::uuid[]) AND status = 'running'
          RETURNING id::text AS id, ("cancelRequestedAt" IS NOT NULL) AS cancel`;
        for (const r of rows) if (r.cancel) this.active.get(r.id)?.abort(new Error('cancelled by staff'));
      } catch (err) {
        this.onError(err);
      } finally {
        this.beating = null;
      }
    })();
    return this.beating;
  }
}

/**
 * Marks running runs with a stale heartbeat as interrupted. Safe to call from any number of
 * processes at once (one UPDATE with its own guard); returns the runs it marked.
 */
export async function markInterrupted(
  intervalMs = heartbeatIntervalMs(),
  alive: string[] = [],
): Promise<Array<{ id: string; cloudId: string }>> {
  const staleMs = intervalMs * STALE_FACTOR;
  // `alive`: the caller's own runs. A loaded process may stamp late, but it is not dead: marking its
  // own runs would throw away results it is about to store.
  return db.$queryRaw<Array<{ id: string; cloudId: string }>>`
    UPDATE "Run" SET status = 'interrupted', "finishedAt" = now(),
      error = 'The worker running this run stopped answering (its heartbeat went stale); its test objects are swept at the start of the next run.'
    WHERE status = 'running' AND "heartbeatAt" < now() - make_interval(secs => ${staleMs / 1000}::double precision)
      AND NOT (id = ANY(${alive}::uuid[]))
    RETURNING id::text AS id, "cloudId"::text AS "cloudId"`;
}
