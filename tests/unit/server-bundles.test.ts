// The server processes as npm start runs them: plain JavaScript bundles (scripts/bundles.mjs) that
// need no tsx, rebuilt before a start when one of their sources changed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLES, bundleIsStale, freshBundles } from '../../scripts/bundles.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const inputs = (name: keyof typeof BUNDLES) => path.join(ROOT, BUNDLES[name].out.replace(/\.mjs$/, '.inputs.json'));
const node = (args: string[]) =>
  spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' } as unknown as NodeJS.ProcessEnv,
    timeout: 30_000,
  });

describe('server bundles', () => {
  it('rebuilds a bundle whose source changed before it is run', async () => {
    await freshBundles('web');
    const recorded = JSON.parse(fs.readFileSync(inputs('web'), 'utf8')) as Record<string, string>;
    expect(Object.keys(recorded)).toEqual(expect.arrayContaining(['scripts/web.ts', 'lib/jobs/index.ts']));
    fs.writeFileSync(inputs('web'), JSON.stringify({ ...recorded, 'scripts/web.ts': 'edited' }));
    expect(bundleIsStale('web')).toBe(true);
    const [file] = await freshBundles('web');
    expect(file).toBe(path.join(ROOT, 'dist/server/web.mjs'));
    expect(bundleIsStale('web')).toBe(false);
    expect(JSON.parse(fs.readFileSync(inputs('web'), 'utf8'))['scripts/web.ts']).toBe(recorded['scripts/web.ts']);
  });

  it('leaves packages in node_modules, where the CLI bundle takes them in', async () => {
    await freshBundles('start', 'web', 'worker', 'km-check');
    const files = (name: keyof typeof BUNDLES) =>
      Object.keys(JSON.parse(fs.readFileSync(inputs(name), 'utf8')) as object);
    for (const name of ['start', 'web', 'worker'] as const)
      expect(files(name).filter((f) => f.includes('node_modules/'))).toEqual([]);
    expect(files('worker')).toEqual(expect.arrayContaining(['scripts/worker.ts', 'lib/jobs/index.ts']));
    expect(files('km-check').some((f) => f.includes('node_modules/undici/'))).toBe(true);
  });

  it('runs without tsx: the web bundle starts in a bare node and refuses to run without its front', async () => {
    const [web] = await freshBundles('web');
    const r = node([web]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/start me through scripts\/start\.ts/);
  });

  it('names its entries: an unknown one is a usage error', () => {
    const r = node(['scripts/server.mjs', 'nope']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('usage: node scripts/server.mjs start|worker');
  });
});
