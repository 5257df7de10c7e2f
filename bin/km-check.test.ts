// The installed entry point: the .mjs launcher runs the CLI's plain JavaScript bundle
// (scripts/bundles.mjs), rebuilt first when any of its sources changed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.join(import.meta.dirname, 'km-check.mjs');
const INPUTS = path.join(import.meta.dirname, '..', 'dist', 'km-check.inputs.json');

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env } as unknown as NodeJS.ProcessEnv,
    cwd: '/',
    timeout: 30_000,
  });
}

describe('bin/km-check.mjs', () => {
  it('never runs a stale bundle: a changed source rebuilds it before the CLI starts', () => {
    expect(run(['--list']).status).toBe(0);
    const recorded = JSON.parse(fs.readFileSync(INPUTS, 'utf8')) as Record<string, string>;
    expect(Object.keys(recorded)).toEqual(expect.arrayContaining(['lib/cli/main.ts', 'lib/checks/index.ts']));
    // As if lib/cli/main.ts had been edited after the bundle was made.
    fs.writeFileSync(INPUTS, JSON.stringify({ ...recorded, 'lib/cli/main.ts': 'edited' }));
    const r = run(['--list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^scs-0116-presence\t/m);
    expect(JSON.parse(fs.readFileSync(INPUTS, 'utf8'))['lib/cli/main.ts']).toBe(recorded['lib/cli/main.ts']);
  });

  it('runs the bundled CLI from any directory (--list)', () => {
    const r = run(['--list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^scs-0116-presence\t/m);
  });

  it('exits 1 with one CRITICAL line when no cloud is configured, as openstack_test.py', () => {
    const r = run(['scs-0116-presence']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^CRITICAL: You need to have OS_CLOUD set or pass --os-cloud=CLOUD/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 with one line for a usage error', () => {
    const r = run(['--no-such-option']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^km-check: /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
