import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CloudConfig } from '../../../lib/checks/types';

/** Writes the configurations a worker child resolves (mode 0600, in a fresh temp dir). */
export function writeConfigs(configs: Record<string, CloudConfig>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-cfg-'));
  const file = path.join(dir, 'configs.json');
  fs.writeFileSync(file, JSON.stringify(configs), { mode: 0o600 });
  return file;
}

export interface WorkerChild {
  proc: ChildProcess;
  id: string;
  output: () => string;
  stop(): Promise<void>;
}

/** Starts tests/integration/support/worker-child.ts and waits until it works the queue. */
export async function spawnWorker(configFile: string, env: Record<string, string> = {}): Promise<WorkerChild> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/support/worker-child.ts'], {
    env: { ...process.env, RUNS_CONFIG_FILE: configFile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => {
    out += String(d);
  });
  proc.stderr!.on('data', (d) => {
    out += String(d);
  });
  const id = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${out}`)), 30_000);
    proc.stdout!.on('data', () => {
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}:\n${out}`));
    });
  });
  return {
    proc,
    id,
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
}
