// Issue 15 item 8: the front process authenticates itself to the web process with a per-boot secret,
// and the app ignores client-address and forwarding headers without it, also under a direct
// `next start` (or `next dev`), where a client could otherwise write its own address into the audit
// log and the sign-in limiter.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { app, sql, uid } from './support';
import { freePort } from '../../lib/db/embedded';

let next: ChildProcess | undefined;
let direct = '';

/** One password sign-in through Auth.js at `base`, with the given extra headers. */
async function attempt(base: string, email: string, headers: Record<string, string>): Promise<void> {
  const csrf = await fetch(`${base}/api/auth/csrf`, { headers });
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  await fetch(`${base}/api/auth/callback/password`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password: 'wrong-password-here', csrfToken, callbackUrl: `${base}/` }),
  });
}

beforeAll(async () => {
  const port = await freePort();
  direct = `http://127.0.0.1:${port}`;
  next = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      DATABASE_URL: app().databaseUrl,
      AUTH_SECRET: fs.readFileSync(path.join(app().dataDir, 'auth-secret'), 'utf8').trim(),
      DATA_DIR: app().dataDir,
      SCS_FRONT_SECRET: '',
      NODE_ENV: 'production',
    },
    stdio: 'ignore',
  });
  const t0 = Date.now();
  while (Date.now() - t0 < 60_000) {
    if (
      await fetch(`${direct}/signin`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('next start did not come up');
});
afterAll(() => {
  next?.kill('SIGTERM');
});

describe('issue 15 item 8: client-address headers count only with the front’s proof', () => {
  test('under a direct `next start`, a client-stated x-scs-client-address never reaches the limiter', async () => {
    const email = `forged-${uid()}@security.example`;
    const forged = `198.51.100.${100 + Math.floor(Math.random() * 100)}`;
    await attempt(direct, email, {
      'x-scs-client-address': forged,
      'x-forwarded-for': forged,
      'x-scs-front-proof': 'guess',
    });
    const rows = await sql<{ key: string }>('SELECT key FROM "SignInFailure" WHERE key = $1 OR key = $2', [
      `address:${forged}`,
      `account:${email}`,
    ]);
    expect(rows.map((r) => r.key)).toEqual([`account:${email}`]);
  });

  test('through the front, a client’s own proof header does not let it choose its address', async () => {
    const email = `forged-front-${uid()}@security.example`;
    const forged = `198.51.100.${Math.floor(Math.random() * 100)}`;
    await attempt(app().base, email, {
      'x-scs-client-address': forged,
      'x-scs-front-proof': 'guess',
      'x-forwarded-for': '2001:db8::77',
    });
    const rows = await sql<{ key: string }>('SELECT key FROM "SignInFailure" WHERE key LIKE $1', [`address:%`]);
    expect(rows.map((r) => r.key)).not.toContain(`address:${forged}`);
    expect(rows.map((r) => r.key)).toContain('address:2001:db8::77');
  });
});
