// `npm run test:e2e`: Playwright in Chromium. Finds a browser by itself (CHROMIUM_PATH, then
// Debian's /usr/bin/chromium, then Playwright's own download) and refuses to run without one:
// end-to-end tests are never skipped silently.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';

function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    /* no Playwright browser downloaded */
  }
  return candidates.find((p): p is string => !!p && fs.existsSync(p)) ?? null;
}

const browser = findChromium();
if (!browser) {
  console.error(
    'No Chromium found for the end-to-end tests: install it with `apt-get install chromium` (Debian) or `npx playwright install chromium`, or set CHROMIUM_PATH.',
  );
  process.exit(1);
}
const r = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_PATH: browser },
});
process.exit(r.status ?? 1);
