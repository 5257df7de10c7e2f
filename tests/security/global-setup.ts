import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../lib/db/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    app: {
      base: string;
      dataDir: string;
      databaseUrl: string;
      admin: { email: string; password: string; token: string };
    };
  }
}

/**
 * The security suite runs against the product as it ships: `npm start` (front process, production
 * build, web process) on a fresh embedded PostgreSQL in a throw-away data directory, behind
 * TRUST_PROXY (so tests state client addresses and https with X-Forwarded-*), with private endpoints
 * forbidden and no workers. SECURITY_PORT fixes the port (default: a free one).
 */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-security-'));
  const port = Number(process.env.SECURITY_PORT || 0) || (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const admin = { email: 'admin@security.example', password: `sec-${Math.random().toString(36).slice(2)}-pw` };
  const log: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      TRUST_PROXY: 'true',
      ALLOW_PRIVATE_ENDPOINTS: 'false',
      PUBLIC_URL: '',
      WORKERS: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  const keep = (d: Buffer) => {
    log.push(d.toString());
    if (log.length > 400) log.shift();
    if (process.env.SECURITY_SERVER_LOG) process.stderr.write(d);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  // Up to 6 minutes: the first start builds the app.
  const deadline = Date.now() + 360_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the app did not start:\n${log.join('').slice(-4000)}`);
    }
    const ok = await fetch(`${base}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not become healthy:\n${log.join('').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const token = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/admin.ts', 'create-token', admin.email, '--days', '1', '--name', 'security suite'],
    { encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } },
  );
  if (token.status !== 0) {
    await stop();
    throw new Error(`create-token failed: ${token.stderr}`);
  }
  const info = JSON.parse(fs.readFileSync(path.join(dataDir, 'postgres.json'), 'utf8')) as {
    user: string;
    password: string;
    database: string;
    clusterDir?: string;
  };
  const clusterDir = info.clusterDir ?? path.join(dataDir, 'postgres');
  const pgPort = fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[3];
  project.provide('app', {
    base,
    dataDir,
    databaseUrl: `postgresql://${info.user}:${encodeURIComponent(info.password)}@127.0.0.1:${pgPort}/${info.database}`,
    admin: { ...admin, token: token.stdout.trim() },
  });
  return stop;
}
