import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const base = () => process.env.E2E_BASE_URL!;
export const admin = () => ({ email: process.env.E2E_ADMIN_EMAIL!, password: process.env.E2E_ADMIN_PASSWORD! });

/** Runs the admin CLI against the e2e app's database, exactly as an operator would. */
export function adminCli(args: string[], input?: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, DATABASE_URL: '' },
  });
  if (r.status !== 0) throw new Error(`admin ${args[0]} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

/** A unique suffix, so tests never depend on each other's data. */
export function uid(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('whoami')).toContainText(email);
}

/** Signs out through the account menu of the navigation (one row from 1280 px on, the "Menu" panel below). */
export async function signOut(page: Page): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  if (await menu.isVisible()) await menu.click();
  else await page.locator('#navgroup-account').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
}

export async function api(request: APIRequestContext, token: string, method: string, path: string, data?: unknown) {
  return request.fetch(`${base()}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}` },
    data,
    maxRedirects: 0,
  });
}

export interface World {
  adminToken: string;
  orgA: string;
  orgB: string;
  cloudA: string;
  cloudB: string;
  /** Names that only org B's objects carry: a page shown to org A's user must not contain them. */
  canariesB: string[];
  csp: { email: string; password: string; token: string };
  cspB: { email: string; id: string };
  /** A run of cloudB (set by specs that need one). */
  runB?: string;
}

/** Two organizations with a cloud each, and a CSP user in each; made through the API and the CLI. */
export async function makeWorld(request: APIRequestContext): Promise<World> {
  const u = uid();
  const adminToken = adminCli(['create-token', admin().email, '--days', '1', '--name', `e2e ${u}`]);
  const orgA = `org-a-${u}`,
    orgB = `org-b-${u}`;
  const cloudA = `cloud-a-${u}`,
    cloudB = `cloud-b-${u}`;
  const canariesB = [`Canary Org B ${u}`, `Canary Cloud B ${u}`];
  for (const [slug, name] of [
    [orgA, `Org A ${u}`],
    [orgB, canariesB[0]],
  ]) {
    expect((await api(request, adminToken, 'POST', '/api/v1/organizations', { slug, name })).status()).toBe(201);
  }
  for (const [slug, name, organization] of [
    [cloudA, `Cloud A ${u}`, orgA],
    [cloudB, canariesB[1], orgB],
  ]) {
    expect(
      (
        await api(request, adminToken, 'POST', '/api/v1/clouds', {
          slug,
          name,
          organization,
          region: 'RegionOne',
          public: false,
        })
      ).status(),
    ).toBe(201);
  }
  const password = `pw-${u}-${u}`;
  const email = `csp-a-${u}@e2e.example`;
  adminCli(['create-user', email, '--role', 'csp', '--org', orgA, '--password-stdin'], password);
  const token = adminCli(['create-token', email, '--days', '1']);
  const emailB = `csp-b-${u}@e2e.example`;
  adminCli(['create-user', emailB, '--role', 'csp', '--org', orgB, '--password-stdin'], password);
  const users = await (await api(request, adminToken, 'GET', '/api/v1/me')).json();
  expect(users.email).toBe(admin().email);
  return {
    adminToken,
    orgA,
    orgB,
    cloudA,
    cloudB,
    canariesB,
    csp: { email, password, token },
    cspB: { email: emailB, id: '' },
  };
}

/** Direct SQL on the e2e database, for assertions the UI cannot show (e.g. nothing was written). */
export async function dbQuery<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { default: pg } = await import('pg');
  const dir = process.env.E2E_DATA_DIR!;
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'postgres.json'), 'utf8'));
  const port = Number(fs.readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: info.user,
    password: info.password,
    database: info.database,
  });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The connection URL of the e2e app's embedded PostgreSQL (for worker processes the specs start). */
export function e2eDatabaseUrl(): string {
  const dir = process.env.E2E_DATA_DIR!;
  const info = JSON.parse(fs.readFileSync(path.join(dir, 'postgres.json'), 'utf8'));
  const port = Number(fs.readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  return `postgresql://${info.user}:${encodeURIComponent(info.password)}@127.0.0.1:${port}/${info.database}`;
}

/**
 * A run worker process (`node --import tsx <script>`) against the e2e database, resolved once it
 * prints READY; `stop()` ends it with SIGTERM (and waits up to 10 s).
 */
export async function startWorkerProcess(
  script: string,
  env: Record<string, string>,
): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl(), WORKER_CONCURRENCY: '2', RUN_HEARTBEAT_MS: '2000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 60_000);
    const on = (d: Buffer) => {
      output += String(d);
      if (output.includes('READY')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
  });
  return {
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}
