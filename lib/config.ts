import { z } from 'zod';

/**
 * Every environment variable the dashboard reads, as one zod schema (README.md, "Configuration",
 * documents each). `loadConfig()` runs at the start of every process (`npm start`, the web process,
 * `npm run worker`, the admin CLI) so a bad value stops the start with the variable's name instead
 * of turning into NaN somewhere later; `config()` is the parsed result, re-parsed only when the
 * environment changed (tests set variables between cases).
 *
 * Not here: the OpenStack client variables (OS_CLOUD, OS_AUTH_URL, …) that `km-check` reads the way
 * openstackclient does, and the lab's and benchmarks' own knobs.
 */

type Env = Record<string, string | undefined>;

/** An unset or empty variable is absent (a `FOO=` line in a unit file means "not set"). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const num = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false'], { message: 'must be true or false' }))
  .transform((v) => v === 'true');
const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), {
      message: `must be a URL (${protocols.map((p) => `${p}//`).join(' or ')})`,
    });
const text = z.string();

const schema = z.object({
  // ---- serving
  PORT: optional(int(1, 65535)).default(3000),
  HOST: optional(text).default('127.0.0.1'),
  PUBLIC_URL: optional(url(['http:', 'https:'])),
  TRUST_PROXY: optional(bool).default(false),
  NODE_HEAP_MB: optional(int(64, 65536)).default(320),
  NODE_ENV: optional(text),
  // ---- database
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
  DATA_DIR: optional(text).default('data'),
  EMBEDDED_PG_PORT: optional(int(1, 65535)),
  /** Where root keeps the embedded cluster and a copy of its programs when DATA_DIR is not reachable for postgres. */
  EMBEDDED_PG_RUNTIME_DIR: optional(text).default('/var/lib/scs-km'),
  DB_POOL_SIZE: optional(int(1, 1000)).default(10),
  DB_STATEMENT_TIMEOUT_MS: optional(int(100, 3_600_000)).default(15_000),
  DB_CONNECT_TIMEOUT_MS: optional(int(100, 600_000)).default(10_000),
  QUEUE_POOL_SIZE: optional(int(1, 1000)).default(6),
  DEBUG_POSTGRES: optional(text),
  // ---- accounts and sessions
  ADMIN_EMAIL: optional(text),
  ADMIN_PASSWORD: optional(text),
  AUTH_SECRET: optional(text),
  AUTH_URL: optional(url(['http:', 'https:'])),
  SESSION_MAX_AGE_HOURS: optional(num(0.01, 24 * 90)).default(8),
  SIGNIN_LIMIT: optional(int(1, 1000)).default(10),
  SIGNIN_WINDOW_MINUTES: optional(num(0.1, 24 * 60)).default(15),
  OIDC_ISSUER: optional(url(['http:', 'https:'])),
  OIDC_CLIENT_ID: optional(text),
  OIDC_CLIENT_SECRET: optional(text),
  OIDC_NAME: optional(text).default('Single sign-on'),
  /** Set by the front process for its web process (per boot); never by hand. */
  SCS_FRONT_SECRET: optional(text),
  WEB_SOCKET: optional(text),
  // ---- checks and outbound requests
  ALLOW_PRIVATE_ENDPOINTS: optional(bool).default(false),
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: optional(bool).default(false),
  /** Forwarding to an SCS compliance monitor on a loopback or private address (docs/official-tooling.md). */
  MONITOR_ALLOW_PRIVATE_ADDRESSES: optional(bool).default(false),
  // ---- attestations
  ATTESTATION_VALIDITY_DAYS: optional(int(1, 3660)).default(91),
  ATTESTATION_MAX_FILE_MB: optional(int(1, 1024)).default(20),
  ATTESTATION_MAX_FILES: optional(int(1, 100)).default(10),
  ATTESTATION_FILES_DIR: optional(text),
  // ---- runs, jobs, retention
  WORKERS: optional(
    z
      .enum(['on', 'off', 'true', 'false'], { message: 'must be on or off' })
      .transform((v) => (v === 'off' || v === 'false' ? 'off' : 'on')),
  ).default('on'),
  WORKER_CONCURRENCY: optional(int(1, 256)).default(8),
  WORKER_POLL_SECONDS: optional(num(0.05, 3600)).default(0.5),
  WORKER_LOG_RUNS: optional(bool).default(false),
  RUN_HEARTBEAT_MS: optional(int(100, 3_600_000)).default(15_000),
  REFRESH_EXPIRING_HOURS: optional(num(0.01, 24 * 365)).default(24),
  EVIDENCE_RETENTION_DAYS: optional(num(0.01, 36_500)).default(90),
  RESULT_RETENTION_DAYS: optional(num(0.01, 36_500)).default(730),
  DELIVERY_LOG_RETENTION_DAYS: optional(num(0.01, 36_500)).default(180),
  // ---- notifications
  SMTP_URL: optional(url(['smtp:', 'smtps:'])),
  SMTP_FROM: optional(text).default('SCS Key-Manager Conformance <noreply@localhost>'),
  NOTIFY_RETRY_DELAY_S: optional(num(0.1, 86_400)).default(30),
  NOTIFY_RETRY_LIMIT: optional(int(0, 100)).default(5),
  NOTIFY_MAX_AGE_HOURS: optional(num(0.01, 24 * 365)).default(168),
  NOTIFY_EMAIL_HOLD_HOURS: optional(num(0.01, 24 * 365)).default(24),
  NOTIFY_POLL_MS: optional(int(10, 3_600_000)).default(2000),
  NOTIFY_CONCURRENCY: optional(int(1, 32)).default(4),
  // ---- vault (docs/security.md)
  KEK_PROVIDER: optional(z.enum(['file', 'env', 'barbican'], { message: 'must be file, env or barbican' })).default(
    'file',
  ),
  KEK_DIR: optional(text),
  KEK_FILE: optional(text),
  KEK_ID: optional(text),
  KEK_BASE64: optional(text),
  KEK_PREVIOUS_BASE64: optional(text),
  KEK_BARBICAN_AUTH_URL: optional(url(['http:', 'https:'])),
  KEK_BARBICAN_APP_CRED_ID: optional(text),
  KEK_BARBICAN_APP_CRED_SECRET: optional(text),
  KEK_BARBICAN_APP_CRED_SECRET_FILE: optional(text),
  KEK_BARBICAN_SECRET: optional(text),
  KEK_BARBICAN_REGION: optional(text),
  KEK_BARBICAN_INTERFACE: optional(text),
  KEK_BARBICAN_CA_FILE: optional(text),
  KEK_BARBICAN_ALLOW_PRIVATE: optional(bool).default(false),
  // ---- tests only
  ALLOW_TEST_CLOCK: optional(bool).default(false),
});

export type Config = z.infer<typeof schema>;
export const CONFIG_VARIABLES = Object.keys(schema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      `invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')} (see README.md, "Configuration")`,
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming every variable with a bad value. */
export function parseConfig(env: Env = process.env): Config {
  const r = schema.safeParse(env);
  if (r.success) return r.data;
  throw new ConfigError(
    r.error.issues.map((i) => {
      const variable = String(i.path[0] ?? '?');
      return { variable, message: `${i.message} (got "${String(env[variable] ?? '').slice(0, 80)}")` };
    }),
  );
}

const cache: { key: string | null; value: Config | null } = { key: null, value: null };

/** The configuration of this process's environment (parsed again only when a variable changed). */
export function config(): Config {
  const key = CONFIG_VARIABLES.map((k) => process.env[k] ?? '\u0000').join('\u0001');
  if (cache.key !== key || !cache.value) {
    cache.value = parseConfig(process.env);
    cache.key = key;
  }
  return cache.value;
}

/** For process entry points: the configuration, or a one-line reason on stderr and exit code 2. */
export function loadConfig(): Config {
  try {
    return config();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
