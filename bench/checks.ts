// npm run bench:checks — the cost of our check machinery against the minimal raw HTTP sequence.
//
// Against the running lab (started here when it is not running, and stopped again afterwards),
// N runs of the two official testcases through runChecks (the server's and the CLI's code path),
// interleaved with N runs of the same requests made by hand with undici, the sequence openstacksdk
// sends for the official script: token, version discovery, list, create, list, delete (the lab's
// project holds no other secrets, so each list is one page). Both sides use a fresh connection
// and a fresh token every run.
// Prints the median of each and their ratio; the target is a ratio of at most 1.15.
//
//   BENCH_RUNS=25 npm run bench:checks

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rawSequence } from './raw-sequence.mjs';
import { OFFICIAL_TEST_SECRET_NAME, runChecks } from '../lib/checks';
import type { CloudConfig } from '../lib/checks/types';
import { ensureInstalled, lab, labStatus, readLabJson, type LabJson, type LabSettings } from '../lab/lab-control';

const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const WARMUP = 2;
const TARGET_RATIO = 1.15;
const SETTINGS: LabSettings = {
  stateDir: process.env.LAB_STATE_DIR ?? path.join(import.meta.dirname, '..', 'lab', 'state'),
  keystonePort: Number(process.env.LAB_KEYSTONE_PORT ?? 15000),
  barbicanPort: Number(process.env.LAB_BARBICAN_PORT ?? 19311),
  barbicanDenyPort: Number(process.env.LAB_BARBICAN_DENY_PORT ?? 19312),
};

function memberCloud(j: LabJson): CloudConfig {
  const m = j.users.member;
  return {
    auth: {
      type: 'password',
      authUrl: j.auth_url,
      username: m.username,
      userDomainName: m.user_domain_name,
      password: m.password,
      projectId: m.project_id,
    },
    region: j.region,
    allowPrivateAddresses: true,
  };
}

interface Sample {
  wallMs: number;
  /** CPU time of this process during the run: insensitive to other load on the machine. */
  cpuMs: number;
}

async function measure(fn: () => Promise<void>): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000 };
}

async function ours(j: LabJson): Promise<void> {
  const report = await runChecks({ cloud: memberCloud(j), ids: ['scs-0116-presence', 'scs-0116-permissions'] });
  if (report.results.some((r) => r.verdict !== 'PASS'))
    throw new Error(
      `our run did not pass: ${report.results.map((r) => `${r.id} ${r.verdict} ${r.message}`).join('; ')}`,
    );
}

/** The same six requests, by hand (bench/raw-sequence.mjs). */
const raw = (j: LabJson) => rawSequence(j, OFFICIAL_TEST_SECRET_NAME);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<number> {
  let startedHere = false;
  if (!labStatus(SETTINGS)) {
    const refusal = ensureInstalled(SETTINGS);
    if (refusal) {
      process.stderr.write(`bench:checks: ${refusal}\n`);
      return 1;
    }
    lab(SETTINGS, 'start');
    startedHere = true;
  }
  try {
    const j = readLabJson(SETTINGS);
    for (let i = 0; i < WARMUP; i++) {
      await ours(j);
      await raw(j);
    }
    const oursS: Sample[] = [];
    const rawS: Sample[] = [];
    // Interleaved, alternating who goes first, so drift in the lab hits both sides alike.
    for (let i = 0; i < RUNS; i++) {
      if (i % 2 === 0) {
        oursS.push(await measure(() => ours(j)));
        rawS.push(await measure(() => raw(j)));
      } else {
        rawS.push(await measure(() => raw(j)));
        oursS.push(await measure(() => ours(j)));
      }
    }
    const mOurs = median(oursS.map((s) => s.wallMs));
    const mRaw = median(rawS.map((s) => s.wallMs));
    const cpuOurs = median(oursS.map((s) => s.cpuMs));
    const cpuRaw = median(rawS.map((s) => s.cpuMs));
    const ratio = mOurs / mRaw;
    const result = {
      runs: RUNS,
      oursMedianMs: round(mOurs),
      rawMedianMs: round(mRaw),
      ratio: round(ratio, 3),
      target: TARGET_RATIO,
      oursCpuMedianMs: round(cpuOurs),
      rawCpuMedianMs: round(cpuRaw),
      loadAverage: os.loadavg().map((x) => round(x, 2)),
      oursMs: oursS.map((x) => round(x.wallMs)),
      rawMs: rawS.map((x) => round(x.wallMs)),
    };
    const dir = path.join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, `checks-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    process.stdout.write(
      `bench:checks — scs-0116-presence + scs-0116-permissions against the lab, ${RUNS} runs each (after ${WARMUP} warm-up runs)\n` +
        `  runChecks (our code):           median ${round(mOurs)} ms\n` +
        `  raw HTTP (token, discovery, list, create, list, delete): median ${round(mRaw)} ms\n` +
        `  ratio ${ratio.toFixed(3)} (target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'OK' : 'ABOVE TARGET'}\n` +
        `  CPU of this process per run (median): ours ${round(cpuOurs)} ms, raw ${round(cpuRaw)} ms; load average ${os.loadavg()[0]!.toFixed(2)}` +
        `${os.loadavg()[0]! > os.cpus().length ? ' (machine busy: wall times are noisy)' : ''}\n`,
    );
    return ratio <= TARGET_RATIO ? 0 : 1;
  } finally {
    if (startedHere) lab(SETTINGS, 'stop');
  }
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

process.exitCode = await main();
