// pg-boss in the app's own PostgreSQL (schema "pgboss"): the queue of runs and the cron schedules
// of the housekeeping jobs, shared by every process that reaches DATABASE_URL.
// One instance per process, kept on globalThis so the Next.js bundle and the start script share it.

import PgBoss from 'pg-boss';
import { config } from '../config';
import { poolTimeouts } from '../db/pool';

export const QUEUES = {
  run: 'run',
  schedulerTick: 'scheduler-tick',
  refreshExpiring: 'refresh-expiring',
  retention: 'retention-prune',
  expiryReminders: 'expiry-reminders',
  // Forwarding finished runs to compliance monitors (lib/interop/forwarding.ts: its own table is the queue).
  monitorForward: 'monitor-forward',
} as const;

/** Cron schedules (UTC); pg-boss fires each once per slot across all processes. */
export const CRONS: Array<{ queue: string; cron: string }> = [
  { queue: QUEUES.schedulerTick, cron: '* * * * *' },
  { queue: QUEUES.refreshExpiring, cron: '7 * * * *' },
  { queue: QUEUES.retention, cron: '17 3 * * *' },
  { queue: QUEUES.expiryReminders, cron: '23 * * * *' },
  { queue: QUEUES.monitorForward, cron: '* * * * *' },
];

export interface RunJob {
  runId: string;
}

interface BossState {
  boss: PgBoss | null;
  starting: Promise<PgBoss> | null;
  supervise: boolean;
}
const g = globalThis as unknown as { scsBoss?: BossState };

function state(): BossState {
  g.scsBoss ??= { boss: null, starting: null, supervise: false };
  return g.scsBoss;
}

/**
 * The process's pg-boss. `supervise` (maintenance and cron) is for processes that work jobs; a
 * web process with workers off only sends.
 */
export async function getBoss(opts: { supervise?: boolean; url?: string } = {}): Promise<PgBoss> {
  const s = state();
  if (s.boss) return s.boss;
  s.starting ??= (async () => {
    const url = opts.url ?? config().DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    const supervise = !!opts.supervise;
    const boss = new PgBoss({
      connectionString: url,
      ...poolTimeouts(),
      max: config().QUEUE_POOL_SIZE,
      application_name: 'scs-km-queue',
      supervise,
      schedule: supervise,
      migrate: true,
    });
    boss.on('error', (err) => console.error(`[queue] ${err.message}`));
    await boss.start();
    for (const name of Object.values(QUEUES)) {
      if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, policy: 'standard' }).catch(() => {});
    }
    // Deliveries were pg-boss jobs before the dispatcher (lib/notify) took them over from the
    // database; their rows stayed pending, so the old queue's jobs are only duplicates.
    if (supervise && (await boss.getQueue('notify-delivery')))
      await boss.deleteQueue('notify-delivery').catch(() => {});
    s.boss = boss;
    s.supervise = supervise;
    return boss;
  })().finally(() => {
    s.starting = null;
  });
  return s.starting;
}

export async function stopBoss(): Promise<void> {
  const s = state();
  const boss = s.boss ?? (s.starting ? await s.starting.catch(() => null) : null);
  s.boss = null;
  if (!boss) return;
  // Connections cut by a PostgreSQL that stops right after us are not worth a log line.
  boss.removeAllListeners('error');
  boss.on('error', () => {});
  await boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
}

/** Queue a run's job. The job id is the run id: sending twice is harmless. */
export async function enqueueRun(runId: string): Promise<void> {
  const boss = await getBoss();
  await boss.send(QUEUES.run, { runId } satisfies RunJob, {
    id: runId,
    retryLimit: 1,
    retryDelay: 5,
    expireInSeconds: 3 * 3600,
  });
}
