// The dispatcher's settings, read from the environment once per call (tests change them).

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

function positive(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && v.trim() !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

function whole(v: string | undefined, fallback: number): number {
  const n = Number(v);
  return v !== undefined && v.trim() !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function notifySettings(env: Record<string, string | undefined> = process.env): NotifySettings {
  return {
    retryLimit: whole(env.NOTIFY_RETRY_LIMIT, 5),
    retryDelayMs: positive(env.NOTIFY_RETRY_DELAY_S, 30) * 1000,
    maxRetryDelayMs: 6 * 3_600_000,
    maxAgeMs: positive(env.NOTIFY_MAX_AGE_HOURS, 168) * 3_600_000,
    emailHoldMs: positive(env.NOTIFY_EMAIL_HOLD_HOURS, 24) * 3_600_000,
    pollMs: positive(env.NOTIFY_POLL_MS, 2000),
    concurrency: Math.min(whole(env.NOTIFY_CONCURRENCY, 4) || 4, 32),
    leaseMs: 120_000,
  };
}

/** The wait before attempt number `attempts + 1`, after `attempts` failed ones (>= 1). */
export function retryDelayMs(settings: NotifySettings, attempts: number, random = Math.random): number {
  const base = Math.min(settings.retryDelayMs * 2 ** Math.max(0, attempts - 1), settings.maxRetryDelayMs);
  return Math.round(base * (1 + 0.1 * random()));
}
