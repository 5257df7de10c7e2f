import { config } from '../config';

/**
 * Timeouts for every connection pool of the app (Prisma's adapter pool, the front's pg pools,
 * pg-boss, the LISTEN client): a database that accepts connections but never answers (its processes
 * stopped, a network black hole) must become a clear error within seconds, not a request hanging for
 * minutes. `statement_timeout` is enforced by PostgreSQL; `query_timeout` by the client, for a server
 * that cannot enforce anything any more; `connectionTimeoutMillis` bounds connecting and waiting for
 * a free connection of the pool.
 */
export function poolTimeouts(): {
  connectionTimeoutMillis: number;
  statement_timeout: number;
  query_timeout: number;
} {
  const c = config();
  return {
    connectionTimeoutMillis: c.DB_CONNECT_TIMEOUT_MS,
    statement_timeout: c.DB_STATEMENT_TIMEOUT_MS,
    query_timeout: c.DB_STATEMENT_TIMEOUT_MS + 1000,
  };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'P1001', // Prisma: cannot reach database server
  'P1002', // Prisma: database server timed out
  'P1017', // Prisma: server closed the connection
  'P2024', // Prisma: timed out fetching a connection from the pool
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
]);
const UNAVAILABLE_MESSAGE =
  /Query read timeout|timeout exceeded when trying to connect|Connection terminated|canceling statement due to statement timeout|connect ECONNREFUSED|Can't reach database server|server closed the connection/i;

/** Whether an error means "the database is not answering" (then the caller gets 503, not 500). */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 6 && e && typeof e === 'object'; i++) {
    const x = e as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; kind?: unknown };
    if (typeof x.code === 'string' && UNAVAILABLE_CODES.has(x.code)) return true;
    if (typeof x.originalCode === 'string' && UNAVAILABLE_CODES.has(x.originalCode)) return true;
    if (typeof x.message === 'string' && UNAVAILABLE_MESSAGE.test(x.message)) return true;
    if (x.kind === 'DatabaseNotReachable' || x.kind === 'SocketTimeout' || x.kind === 'ConnectionClosed') return true;
    e = x.cause ?? (x as { meta?: { driverAdapterError?: unknown } }).meta?.driverAdapterError;
  }
  return false;
}

/** PostgreSQL refused a text because of its encoding (a NUL character): the caller's input, not a bug. */
export function isInvalidText(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 6 && e && typeof e === 'object'; i++) {
    const x = e as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
    if (x.code === '22021' || x.originalCode === '22021' || x.code === '22P05' || x.originalCode === '22P05')
      return true;
    if (typeof x.message === 'string' && /invalid byte sequence for encoding|0x00/.test(x.message)) return true;
    e = x.cause ?? (x as { meta?: { driverAdapterError?: unknown } }).meta?.driverAdapterError;
  }
  return false;
}
