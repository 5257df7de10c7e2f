import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';

/** The running app of this suite (tests/security/global-setup.ts). */
export const app = () => inject('app');

export function uid(): string {
  return crypto.randomBytes(4).toString('hex');
}

let addressCounter = 0;
/** A client address no other test uses (2001:db8::/32 is for documentation). */
export function freshAddress(): string {
  addressCounter++;
  return `2001:db8:${process.pid.toString(16)}:${crypto.randomBytes(2).toString('hex')}::${addressCounter.toString(16)}`;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function call(
  path: string,
  o: {
    method?: string;
    token?: string;
    cookie?: string;
    body?: unknown;
    raw?: BodyInit;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(o.headers ?? {}) };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.cookie) headers.cookie = o.cookie;
  let body: BodyInit | undefined = o.raw;
  if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${app().base}${path}`, {
    method: o.method ?? 'GET',
    headers,
    body,
    redirect: 'manual',
    signal: o.signal ?? AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Cookies of a Set-Cookie list as one Cookie header, merged over an earlier one. */
function mergeCookies(previous: string, setCookies: string[]): string {
  const jar = new Map(
    previous
      .split('; ')
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as const),
  );
  for (const sc of setCookies) {
    const pair = sc.split(';')[0];
    jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export interface SignIn {
  /** "ok", or Auth.js's error code (bad_credentials, rate_limited). */
  outcome: string;
  /** Cookie header with the session (when ok). */
  cookie: string;
  setCookies: string[];
}

/**
 * Signs in with a password through Auth.js's own endpoints, as a browser would (CSRF cookie and
 * token), from a client address and scheme the trusted proxy states.
 */
export async function signIn(
  email: string,
  password: string,
  o: { address?: string; https?: boolean } = {},
): Promise<SignIn> {
  const headers: Record<string, string> = { 'x-forwarded-for': o.address ?? freshAddress() };
  if (o.https) headers['x-forwarded-proto'] = 'https';
  const csrf = await fetch(`${app().base}/api/auth/csrf`, { headers });
  let cookie = mergeCookies('', csrf.headers.getSetCookie());
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${app().base}/api/auth/callback/password`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${app().base}/compliance` }),
  });
  const setCookies = res.headers.getSetCookie();
  cookie = mergeCookies(cookie, setCookies);
  const location = res.headers.get('location') ?? '';
  const code = /[?&]code=([^&]+)/.exec(location)?.[1] ?? (/[?&]error=([^&]+)/.exec(location)?.[1] || null);
  const signedIn = setCookies.some((c) => /authjs\.session-token=/.test(c));
  return { outcome: signedIn ? 'ok' : (code ?? `status ${res.status}`), cookie, setCookies };
}

/** Runs the admin CLI against the suite's app, as an operator would. */
export function adminCli(args: string[], input?: string): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
    encoding: 'utf8',
    input,
    env: { ...process.env, DATA_DIR: app().dataDir, DATABASE_URL: '' },
  });
  if (r.status !== 0) throw new Error(`admin ${args[0]} failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: app().databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface World {
  org: string;
  cloud: string;
  csp: { email: string; password: string; token: string };
  otherCloud: string;
}

/** An organization with a cloud and a CSP user (password and token), and another organization's cloud. */
export async function makeWorld(): Promise<World> {
  const u = uid();
  const admin = app().admin.token;
  const org = `sec-org-${u}`;
  const other = `sec-other-${u}`;
  for (const slug of [org, other]) {
    const r = await call('/api/v1/organizations', {
      method: 'POST',
      token: admin,
      body: { slug, name: `Org ${slug}` },
    });
    if (r.status !== 201) throw new Error(`organization: ${r.status} ${r.text}`);
  }
  const cloud = `sec-cloud-${u}`;
  const otherCloud = `sec-cloud-other-${u}`;
  for (const [slug, organization] of [
    [cloud, org],
    [otherCloud, other],
  ]) {
    const r = await call('/api/v1/clouds', {
      method: 'POST',
      token: admin,
      body: { slug, name: `Cloud ${slug}`, organization, region: 'RegionOne', public: true, description: '' },
    });
    if (r.status !== 201) throw new Error(`cloud: ${r.status} ${r.text}`);
  }
  const email = `csp-${u}@security.example`;
  const password = `csp-password-${u}-long`;
  adminCli(['create-user', email, '--role', 'csp', '--org', org, '--password-stdin'], `${password}\n`);
  const token = adminCli(['create-token', email, '--days', '1', '--name', `csp ${u}`]);
  return { org, cloud, otherCloud, csp: { email, password, token } };
}

/** A clouds.yaml-free credential body as the API takes it. */
export function credentialBody(over: Record<string, unknown> = {}) {
  return {
    type: 'password',
    auth_url: 'https://keystone.example.invalid:5000/v3',
    username: 'member',
    user_domain_name: 'Default',
    password: 'canary-password-not-real',
    project_name: 'demo',
    project_domain_name: 'Default',
    ...over,
  };
}
