// `npm run bench:cli`: km-check as an operator runs it, a cold process, against a cold bare-node
// process making the same requests. Against the real lab (started here when it is not running, with
// its own state directory, and stopped again afterwards), BENCH_RUNS (default 10) pairs, after one
// warm-up pair, alternating who goes first:
//   A: node bin/km-check.mjs --os-cloud lab scs-0116-presence scs-0116-permissions (the installed bin)
//   B: node bench/raw-sequence.mjs lab.json <name> (the six requests with undici, nothing else)
// Prints both medians of the wall time, the median of the pair-by-pair ratios A/B and the load average;
// also, without a target, `km-check --list` against `node -e 0` (start-up alone). The target: ratio
// <= 1.3; exits non-zero when missed.
//
//   LAB_KEYSTONE_PORT=… LAB_BARBICAN_PORT=… LAB_BARBICAN_DENY_PORT=… BENCH_RUNS=10 npm run bench:cli

import { spawn } from 'node:child_process';
import path from 'node:path';
import { OFFICIAL_TEST_SECRET_NAME } from '../lib/checks';
import { ensureInstalled, lab, labStatus, type LabSettings } from '../lab/lab-control';
import { loadAverage } from './lib';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const TARGET_RATIO = 1.3;
const ROOT = path.join(import.meta.dirname, '..');
const SETTINGS: LabSettings = {
  stateDir: process.env.LAB_STATE_DIR ?? path.join(ROOT, 'lab', 'state', 'bench-cli'),
  keystonePort: Number(process.env.LAB_KEYSTONE_PORT ?? 15000),
  barbicanPort: Number(process.env.LAB_BARBICAN_PORT ?? 19311),
  barbicanDenyPort: Number(process.env.LAB_BARBICAN_DENY_PORT ?? 19312),
};

/** Wall milliseconds of one process from spawn to exit; fails unless it exits 0 with the expected stdout. */
function timed(args: string[], expect: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, OS_CLIENT_CONFIG_FILE: path.join(SETTINGS.stateDir, 'clouds.yaml') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code === 0 && expect.test(out)) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${(out + err).slice(-500)}`));
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** RUNS pairs after one warm-up pair, alternating who goes first. */
async function pairs(a: () => Promise<number>, b: () => Promise<number>) {
  await a();
  await b();
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      as.push(await a());
      bs.push(await b());
    } else {
      bs.push(await b());
      as.push(await a());
    }
  }
  return { a: median(as), b: median(bs), ratio: median(as.map((x, i) => x / bs[i])) };
}

async function main(): Promise<boolean> {
  let startedHere = false;
  if (!labStatus(SETTINGS)) {
    const refusal = ensureInstalled(SETTINGS);
    if (refusal) throw new Error(refusal);
    lab(SETTINGS, 'start');
    startedHere = true;
  }
  try {
    const labJson = path.join(SETTINGS.stateDir, 'lab.json');
    const twoLines = /^scs-0116-presence: PASS\nscs-0116-permissions: PASS\n$/;
    const loadBefore = loadAverage();
    const checks = await pairs(
      () => timed(['bin/km-check.mjs', '--os-cloud', 'lab', 'scs-0116-presence', 'scs-0116-permissions'], twoLines),
      () => timed(['bench/raw-sequence.mjs', labJson, OFFICIAL_TEST_SECRET_NAME], twoLines),
    );
    const list = await pairs(
      () => timed(['bin/km-check.mjs', '--list'], /^scs-0116-presence\t/m),
      () => timed(['-e', '0'], /^$/),
    );
    const met = checks.ratio <= TARGET_RATIO;
    console.log(`\n== bench:cli (${RUNS} pairs; before ${loadBefore}, after ${loadAverage()}) ==`);
    console.log(
      `km-check, the two official testcases, cold: ${checks.a.toFixed(0)} ms | bare node, the same six requests, cold: ${checks.b.toFixed(0)} ms | ratio ${checks.ratio.toFixed(2)} | target <= ${TARGET_RATIO}: ${met ? 'MET' : 'MISSED'}`,
    );
    console.log(
      `km-check --list: ${list.a.toFixed(0)} ms | node -e 0: ${list.b.toFixed(0)} ms | ratio ${list.ratio.toFixed(2)} (start-up alone, no target)`,
    );
    return met;
  } finally {
    if (startedHere) lab(SETTINGS, 'stop');
  }
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err) => {
    console.error(`bench:cli: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
