// The dashboard as npm start runs it (scripts/server.mjs start, the bundle of scripts/start.ts: front,
// web process with workers, embedded PostgreSQL in a throw-away DATA_DIR), for npm run test:interop,
// and a small API client.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface App {
  url: string;
  dataDir: string;
  adminEmail: string;
  proc: ChildProcess;
  log: string[];
}

export async function startApp(port: number, extraEnv: Record<string, string> = {}): Promise<App> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-interop-'));
  fs.chmodSync(dataDir, 0o755);
  const url = `http://127.0.0.1:${port}`;
  const adminEmail = 'admin@interop.example';
  const log: string[] = [];
  const proc = spawn(process.execPath, ['scripts/server.mjs', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      PUBLIC_URL: url,
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: `interop-${Math.random().toString(36).slice(2)}-pw`,
      // The lab and the monitor listen on loopback.
      MONITOR_ALLOW_PRIVATE_ADDRESSES: 'true',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => {
    log.push(...String(d).split('\n').filter(Boolean));
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const deadline = Date.now() + 420_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`the app exited (${proc.exitCode}): ${log.slice(-10).join(' | ')}`);
    try {
      if ((await fetch(`${url}/api/health`)).status === 200) return { url, dataDir, adminEmail, proc, log };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  proc.kill('SIGTERM');
  throw new Error(`the app did not become healthy: ${log.slice(-10).join(' | ')}`);
}

export async function stopApp(app: App): Promise<void> {
  if (app.proc.exitCode === null) {
    const done = new Promise((r) => app.proc.once('exit', r));
    app.proc.kill('SIGTERM');
    await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  }
  fs.rmSync(app.dataDir, { recursive: true, force: true });
}

/** `npm run admin -- …` against the running app's embedded PostgreSQL. */
export function adminCli(app: App, args: string[], input?: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    env: { ...process.env, DATA_DIR: app.dataDir, DATABASE_URL: '' },
  });
  if (r.status !== 0) throw new Error(`admin ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

export interface Answer {
  status: number;
  text: string;
  headers: Headers;
  // Bodies as the scenario reads them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function api(app: App, token: string | null, method: string, p: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${app.url}${p}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, text, headers: res.headers, json };
}
