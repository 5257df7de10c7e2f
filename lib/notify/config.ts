// The dispatcher's settings, from lib/config.ts at each call (tests change the environment).
import { config, parseConfig } from '../config';

export interface NotifySettings {
  /** Retries after the first attempt; a delivery is failed after 1 + retryLimit attempts. */
  retryLimit: number;
  /** The first retry waits this long; each next one twice as long (plus up to 10 % jitter). */
  retryDelayMs: number;
  /** The longest wait between two attempts. */
  maxRetryDelayMs: number;
  /** A message this old is not fanned out any more, nor its pending deliveries attempted. */
  maxAgeMs: number;
  /** E-mail waits this long for SMTP_URL to be configured before it is dropped. */
  emailHoldMs: number;
  /** How often a dispatcher looks for work when it found none. */
  pollMs: number;
  /** Deliveries attempted at once per process. */
  concurrency: number;
  /** How long a claimed delivery is this process's before another may take it over. */
  leaseMs: number;
}

/** From lib/config.ts (bad values stop the start there, naming the variable); `env` for tests. */
export function notifySettings(env?: Record<string, string | undefined>): NotifySettings {
  const c = env ? parseConfig(env) : config();
  return {
    retryLimit: c.NOTIFY_RETRY_LIMIT,
    retryDelayMs: c.NOTIFY_RETRY_DELAY_S * 1000,
    maxRetryDelayMs: 6 * 3_600_000,
    maxAgeMs: c.NOTIFY_MAX_AGE_HOURS * 3_600_000,
    emailHoldMs: c.NOTIFY_EMAIL_HOLD_HOURS * 3_600_000,
    pollMs: c.NOTIFY_POLL_MS,
    concurrency: c.NOTIFY_CONCURRENCY,
    leaseMs: 120_000,
  };
}

/** The wait before attempt number `attempts + 1`, after `attempts` failed ones (>= 1). */
export function retryDelayMs(settings: NotifySettings, attempts: number, random = Math.random): number {
  const base = Math.min(settings.retryDelayMs * 2 ** Math.max(0, attempts - 1), settings.maxRetryDelayMs);
  return Math.round(base * (1 + 0.1 * random()));
}
