import { migrationNames } from './db/migrate-state';

export interface Health {
  status: 'ok' | 'unavailable';
  database: { reachable: boolean; latencyMs?: number; error?: string };
  migrations: { expected: number; applied: number; pending: string[] };
  /** Present when the front process (scripts/start.ts) answers: is the web process alive? */
  web?: { responding: boolean; lastHeartbeatMs: number | null };
}

/** Runs one SQL query and returns its rows: Prisma in the app, a plain pg pool in the front process. */
export type HealthQuery = (sql: string) => Promise<Array<{ migration_name: string }>>;

const APPLIED =
  'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

/** Database reachability and whether every migration shipped with this build has been applied. */
export async function checkHealth(query: HealthQuery): Promise<Health> {
  const expected = migrationNames();
  const t0 = performance.now();
  try {
    const rows = await query(APPLIED);
    const latencyMs = Math.round((performance.now() - t0) * 10) / 10;
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = expected.filter((m) => !applied.has(m));
    return {
      status: pending.length ? 'unavailable' : 'ok',
      database: { reachable: true, latencyMs },
      migrations: { expected: expected.length, applied: applied.size, pending },
    };
  } catch {
    return {
      status: 'unavailable',
      database: { reachable: false, error: 'database not reachable' },
      migrations: { expected: expected.length, applied: 0, pending: expected },
    };
  }
}

export function healthResponse(health: Health): Response {
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
