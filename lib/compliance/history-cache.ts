// A cloud's history for a period, kept in this process's memory while the cloud's stored snapshot
// shows that nothing it depends on changed: the same version (no result, run, attestation or
// certificate written since, see snapshot.ts), the same fresh computation window [computedAt,
// staleAt) (no expiry passed) and the same UTC day (the period's days). Within such a window the
// history is fully determined, so a hit is exact, in every process, without any invalidation
// message. Public status pages and badges embedded elsewhere are read far more often than clouds
// change: most views are hits.

import { db } from '../db';
import type { History, Period } from './history';

interface Meta {
  version: number;
  computedVersion: number;
  computedAt: Date | null;
  staleAt: Date | null;
}

const LIMIT = 64;
const entries = new Map<string, History>();

/** The cache key, or null when the snapshot is not fresh at `at` (then nothing is cached). */
export function historyKey(cloudId: string, period: Period, at: Date, meta: Meta | undefined): string | null {
  if (!meta || meta.computedVersion !== meta.version || !meta.computedAt) return null;
  if (meta.computedAt.getTime() > at.getTime() || (meta.staleAt && meta.staleAt.getTime() <= at.getTime())) return null;
  return [
    cloudId,
    period,
    at.toISOString().slice(0, 10),
    meta.version,
    meta.computedAt.getTime(),
    meta.staleAt?.getTime() ?? '-',
  ].join('|');
}

export async function cachedHistory(
  cloudId: string,
  period: Period,
  at: Date,
  compute: () => Promise<History>,
): Promise<History> {
  const [meta] = await db.$queryRaw<Meta[]>`
    SELECT version, "computedVersion", "computedAt", "staleAt" FROM "ComplianceSnapshot" WHERE "cloudId" = ${cloudId}::uuid`;
  const key = historyKey(cloudId, period, at, meta);
  const hit = key ? entries.get(key) : undefined;
  if (hit) {
    entries.delete(key!);
    entries.set(key!, hit); // most recently used last
    return hit;
  }
  const history = await compute();
  if (key) {
    entries.set(key, history);
    if (entries.size > LIMIT) entries.delete(entries.keys().next().value!);
  }
  return history;
}

/** For tests: forget everything. */
export function clearHistoryCache(): void {
  entries.clear();
}
