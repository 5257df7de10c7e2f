import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, now, resetClock, setClock, testClockDirectory } from './clock';

afterEach(() => resetClock());

describe('clock', () => {
  it('is the system clock unless a test sets one', () => {
    const before = Date.now();
    expect(now().getTime()).toBeGreaterThanOrEqual(before);
    const c = fixedClock('2026-01-01T00:00:00Z');
    setClock(c);
    expect(now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    c.advance(1000);
    expect(now().toISOString()).toBe('2026-01-01T00:00:01.000Z');
  });

  it('the file-based test clock needs ALLOW_TEST_CLOCK and a throw-away e2e data dir holding the embedded cluster', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-e2e-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'prod-'));
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-e2e-'));
    for (const d of [tmp, other]) {
      fs.mkdirSync(path.join(d, 'postgres'));
      fs.writeFileSync(path.join(d, 'postgres', 'PG_VERSION'), '18\n');
    }
    try {
      expect(testClockDirectory({ ALLOW_TEST_CLOCK: 'true', DATA_DIR: tmp } as unknown as NodeJS.ProcessEnv)).toBe(
        fs.realpathSync(tmp),
      );
      expect(testClockDirectory({ DATA_DIR: tmp } as unknown as NodeJS.ProcessEnv)).toBeNull();
      expect(testClockDirectory({ ALLOW_TEST_CLOCK: '1', DATA_DIR: tmp } as unknown as NodeJS.ProcessEnv)).toBeNull();
      expect(
        testClockDirectory({ ALLOW_TEST_CLOCK: 'true', DATA_DIR: empty } as unknown as NodeJS.ProcessEnv),
      ).toBeNull();
      expect(
        testClockDirectory({ ALLOW_TEST_CLOCK: 'true', DATA_DIR: other } as unknown as NodeJS.ProcessEnv),
      ).toBeNull();
      expect(
        testClockDirectory({ ALLOW_TEST_CLOCK: 'true', DATA_DIR: '/var/lib/scs-km' } as unknown as NodeJS.ProcessEnv),
      ).toBeNull();
      expect(testClockDirectory({ ALLOW_TEST_CLOCK: 'true' } as unknown as NodeJS.ProcessEnv)).toBeNull();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(other, { recursive: true, force: true });
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
