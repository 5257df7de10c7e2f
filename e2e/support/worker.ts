// A worker process for end-to-end specs: the real startWorker (tests/integration/support/
// worker-child.ts) against the e2e app's database, since the app itself runs with WORKERS=off.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The e2e app's embedded PostgreSQL, from its data directory. */
export function e2eDatabaseUrl(): string {
  const dir = process.env.E2E_DATA_DIR!;
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'postgres.json'), 'utf8'));
  const port = Number(fs.readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  return `postgresql://${info.user}:${encodeURIComponent(info.password)}@127.0.0.1:${port}/${info.database}`;
}

export interface E2eWorker {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a worker with the given environment on top of the runner's and waits until it works. */
export async function startE2eWorker(env: Record<string, string | undefined>): Promise<E2eWorker> {
  let output = '';
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/support/worker-child.ts'], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 60_000);
    const on = (d: Buffer) => {
      output += String(d);
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', on);
    proc.stderr!.on('data', on);
  });
  return {
    proc,
    output: () => output,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}
