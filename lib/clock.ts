import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The one clock of the domain: everything that depends on "now" (attestation expiry, reminders,
 * the manual testcase result) asks `now()` instead of `new Date()`, so tests can move time.
 *
 * - Unit and integration tests: `setClock(fixedClock(date))`, and `resetClock()` afterwards.
 * - End-to-end tests ("the clock is past the expiry"): the server process may read its time from
 *   `<DATA_DIR>/test-clock.json` ({"now": "<ISO time>"}), but ONLY when all of these hold:
 *     1. ALLOW_TEST_CLOCK=true is set in the environment,
 *     2. DATA_DIR lies directly in the system's temporary directory and its name starts with
 *        "scs-km-e2e-", which is what the Playwright harness (playwright.config.ts) creates,
 *     3. that directory holds the embedded PostgreSQL cluster (postgres/PG_VERSION), i.e. the
 *        database itself is a throw-away one.
 *   A production installation has a DATA_DIR of its own (or an external database), so even a
 *   stray ALLOW_TEST_CLOCK=true does nothing there; when the test clock is on, the start-up log
 *   says so (`testClockNotice()`).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let current: Clock | null = null;

export function now(): Date {
  return (current ?? defaultClock()).now();
}

/** For tests: every `now()` answers from this clock until `resetClock()`. */
export function setClock(clock: Clock): void {
  current = clock;
}

export function resetClock(): void {
  current = null;
}

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export const TEST_CLOCK_FILE = 'test-clock.json';
export const TEST_DATA_DIR_PREFIX = 'scs-km-e2e-';

/** The data directory whose test-clock.json may be read, or null when the test clock is off. */
export function testClockDirectory(env: NodeJS.ProcessEnv = process.env, tmpdir = os.tmpdir()): string | null {
  if (env.ALLOW_TEST_CLOCK !== 'true') return null;
  if (!env.DATA_DIR) return null;
  let dir: string;
  let tmp: string;
  try {
    dir = fs.realpathSync(path.resolve(env.DATA_DIR));
    tmp = fs.realpathSync(tmpdir);
  } catch {
    return null;
  }
  if (path.dirname(dir) !== tmp || !path.basename(dir).startsWith(TEST_DATA_DIR_PREFIX)) return null;
  if (!fs.existsSync(path.join(dir, 'postgres', 'PG_VERSION'))) return null;
  return dir;
}

let cachedDefault: Clock | null = null;

function defaultClock(): Clock {
  if (cachedDefault) return cachedDefault;
  const dir = testClockDirectory();
  cachedDefault = dir ? fileClock(path.join(dir, TEST_CLOCK_FILE)) : systemClock;
  return cachedDefault;
}

/** Reads {"now": ISO} from the file on every call (it is tiny); the system clock when absent. */
function fileClock(file: string): Clock {
  return {
    now() {
      try {
        const { now: at } = JSON.parse(fs.readFileSync(file, 'utf8')) as { now?: string };
        const d = at ? new Date(at) : null;
        if (d && !Number.isNaN(d.getTime())) return d;
      } catch {
        // no file (yet): real time
      }
      return new Date();
    },
  };
}

/** One line for the start-up log when the test clock is active, else null. */
export function testClockNotice(): string | null {
  const dir = testClockDirectory();
  return dir
    ? `TEST CLOCK ACTIVE: time is read from ${path.join(dir, TEST_CLOCK_FILE)} (ALLOW_TEST_CLOCK=true, throw-away e2e data directory)`
    : null;
}
