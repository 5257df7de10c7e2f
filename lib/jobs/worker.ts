// The worker: runs jobs from the queue in this process. Started inside `npm start` (unless
// WORKERS=off) and by `npm run worker` on any machine that reaches the same DATABASE_URL.
//   - runs: WORKER_CONCURRENCY (default 8) at once, each claimed once (lib/runs executeRun)
//   - one heartbeat for this process's runs, and the check for other processes' stale ones
//   - the notification dispatcher (lib/notify): fan-out of the outbox, deliveries with retries
//   - the scheduler tick, refresh of expiring results and retention pruning (cron, once per slot)

import type PgBoss from 'pg-boss';
import {
  executeRun,
  defaultWorkerId,
  heartbeatIntervalMs,
  markInterrupted,
  notifyProgress,
  RunHeartbeat,
  type CloudConfigResolver,
} from '../runs';
import { Dispatcher, type Mail } from '../notify';
import { CRONS, QUEUES, getBoss, stopBoss, type RunJob } from './boss';
import { schedulerTick } from './schedule';
import { pruneRetention, refreshExpiring, requeueOrphans } from './maintenance';
import { sendDueReminders } from './reminders';
import { config } from '../config';
import { now } from '../clock';
import { Prisma } from '../db';
import { refreshWhere } from '../compliance/snapshot';

export interface WorkerOptions {
  resolver: CloudConfigResolver;
  concurrency?: number;
  heartbeatMs?: number;
  /** Cron housekeeping (scheduler, refresh, retention) in this process; default true. */
  housekeeping?: boolean;
  log?: (line: string) => void;
  mailer?: (m: Mail) => Promise<void>;
  pollingIntervalSeconds?: number;
}

export interface RunningWorker {
  id: string;
  concurrency: number;
  stop(): Promise<void>;
}

export function workerConcurrency(): number {
  return config().WORKER_CONCURRENCY;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const log = opts.log ?? ((l: string) => console.log(`[worker] ${l}`));
  const id = defaultWorkerId();
  const concurrency = opts.concurrency ?? workerConcurrency();
  const interval = opts.heartbeatMs ?? heartbeatIntervalMs();
  const boss = await getBoss({ supervise: true });
  const heartbeat = new RunHeartbeat(interval, (err) =>
    log(`heartbeat failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  heartbeat.start();
  const polling = {
    pollingIntervalSeconds: opts.pollingIntervalSeconds ?? config().WORKER_POLL_SECONDS,
    batchSize: 1,
  };

  /** Stores stale compliance snapshots of all active clouds (lib/compliance/snapshot.ts), off the web process. */
  const refreshSnapshots = async () => {
    const refreshed = await refreshWhere(Prisma.sql`c."archivedAt" IS NULL`, now());
    if (refreshed.size) log(`compliance snapshots stored anew: ${refreshed.size}`);
    dispatcher.nudge();
  };

  // The one path from the outbox to recipients (lib/notify/dispatcher.ts). A stored snapshot whose
  // status changed has queued its message in the same transaction: nudged after runs and refreshes,
  // the dispatcher fans it out at once instead of at its next poll.
  const dispatcher = new Dispatcher({ mailer: opts.mailer, log });
  dispatcher.start();

  const runHandler = async (jobs: PgBoss.Job<RunJob>[]) => {
    for (const job of jobs) {
      const outcome = await executeRun(job.data.runId, {
        resolver: opts.resolver,
        heartbeat,
        workerId: id,
        log,
        onStatusStored: () => dispatcher.nudge(),
      });
      if (outcome !== 'skipped' && config().WORKER_LOG_RUNS) log(`run ${job.data.runId} ${outcome}`);
      if (outcome === 'finished') {
        // To the cloud's compliance monitor, if it has one, now (the minute job retries and catches up).
        const { forwardFinishedRun } = await import('../interop/forwarding');
        void forwardFinishedRun(job.data.runId).catch((err) =>
          log(`forwarding run ${job.data.runId} failed: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    }
  };
  const workIds: string[] = [];
  // One pg-boss worker per slot: each fetches one run, executes it, and fetches the next at once
  // (notifyWorker skips pg-boss's wait for the rest of the polling interval after a busy fetch;
  // without it a slot would take at most one run per interval).
  for (let i = 0; i < concurrency; i++) {
    let workId = '';
    workId = await boss.work<RunJob>(QUEUES.run, polling, async (jobs) => {
      try {
        await runHandler(jobs);
      } finally {
        if (jobs.length > 0 && workId) boss.notifyWorker(workId);
      }
    });
    workIds.push(workId);
  }

  const timers: NodeJS.Timeout[] = [];
  if (opts.housekeeping !== false) {
    for (const c of CRONS) await boss.schedule(c.queue, c.cron, {}, { tz: 'UTC', retryLimit: 0, expireInSeconds: 600 });
    workIds.push(
      await boss.work(QUEUES.schedulerTick, async () => {
        await schedulerTick();
      }),
    );
    workIds.push(
      await boss.work(QUEUES.refreshExpiring, async () => {
        await refreshExpiring();
      }),
    );
    workIds.push(
      await boss.work(QUEUES.expiryReminders, async () => {
        const r = await sendDueReminders(now());
        if (r.queued.length) log(`expiry reminders queued: ${r.queued.length} (${r.queued.join(', ')})`);
        // Snapshots that time made stale (a result or approval expired) are stored anew here, so the
        // first reader after an expiry need not compute them.
        await refreshSnapshots();
      }),
    );
    workIds.push(
      await boss.work(QUEUES.monitorForward, async () => {
        const { deliverDue, planForwarding } = await import('../interop/forwarding');
        const planned = await planForwarding();
        const sent = await deliverDue();
        if (planned || sent) log(`compliance monitor forwarding: ${planned} planned, ${sent} attempted`);
      }),
    );
    workIds.push(
      await boss.work(QUEUES.retention, async () => {
        const r = await pruneRetention();
        log(
          `retention: evidence pruned on ${r.evidencePruned} result(s), ${r.runsDeleted} run(s) and ${r.deliveriesDeleted} delivery record(s) deleted`,
        );
        // Deleting old runs marks their clouds' snapshots stale (triggers): store them anew here,
        // not in the first page view of the morning.
        if (r.runsDeleted > 0) await refreshSnapshots();
      }),
    );
  }
  // Stale heartbeats of other workers are found within interval x (STALE_FACTOR + 1); this one's own
  // runs are alive by definition (a late stamp under load is not a dead worker).
  const monitor = setInterval(() => {
    markInterrupted(interval, heartbeat.runIds)
      .then(async (runs) => {
        for (const r of runs) {
          log(`run ${r.id} interrupted: its worker stopped sending heartbeats`);
          await notifyProgress(r.id);
        }
      })
      .catch((err) => log(`interruption check failed: ${err instanceof Error ? err.message : String(err)}`));
  }, interval);
  monitor.unref();
  timers.push(monitor);
  const orphans = setInterval(() => {
    requeueOrphans().catch(() => {});
  }, 60_000);
  orphans.unref();
  timers.push(orphans);

  log(`worker ${id} started: ${concurrency} concurrent run(s), heartbeat every ${interval} ms`);
  let stopped = false;
  return {
    id,
    concurrency,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearInterval(t);
      for (const w of workIds) await boss.offWork({ id: w }).catch(() => {});
      await dispatcher.stop();
      // Running runs may finish within pg-boss's graceful timeout; the rest are found by their heartbeat.
      await stopBoss();
      await heartbeat.stop();
    },
  };
}
