import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { ctxOf, databaseUrl, makeCloud, makeOrg, makeUser, tempDir } from './support/fixtures';
import { Vault } from '../../lib/vault';
import type { RequestContext } from '../../lib/context';

/**
 * The canary test: distinctive secrets are planted through the real API route handlers and the
 * real server action, and must appear nowhere: not in API responses (success or error), not in
 * the form state an action returns, not in audit events, not in anything written to the console
 * or stdout/stderr, not in stored test results, and not in a dump of the whole database.
 * (Rendered HTML is covered by the Playwright spec, which needs a running app.)
 */
let current: RequestContext = { actor: null, clientAddress: null };
vi.mock('server-only', () => ({}));
vi.mock('@/lib/next/session', () => ({ currentContext: async () => current, requestContext: async () => current }));

const tag = crypto.randomBytes(6).toString('hex');
const CANARY = {
  password: `CANARYpw${tag}Zq`,
  appcred: `CANARYac${tag}Zq`,
  secure: `CANARYsecure${tag}Zq`,
  yamlBroken: `CANARYyaml${tag}Zq`,
  openrc: `CANARYrc${tag}Zq`,
};
const forms = (s: string) => [
  s,
  Buffer.from(s).toString('base64'),
  Buffer.from(s).toString('hex'),
  encodeURIComponent(s),
];
const needles = Object.values(CANARY).flatMap(forms);
function assertClean(where: string, text: string) {
  for (const n of needles) expect(text.includes(n), `${where} contains a canary (${n.slice(0, 12)}…)`).toBe(false);
}

let keystone: http.Server;
let ksUrl = '';
const captured: string[] = [];
const restore: Array<() => void> = [];

beforeAll(async () => {
  databaseUrl();
  process.env.DATA_DIR = tempDir('vault-canary-');
  // The fake Keystone listens on loopback, and the CSP user here may not allow private addresses per cloud.
  process.env.ALLOW_PRIVATE_ENDPOINTS = 'true';
  (await import('../../lib/credentials/vault')).setVault(
    Vault.fromEnv({ env: { DATA_DIR: process.env.DATA_DIR, KEK_PROVIDER: 'file' } }),
  );
  // A Keystone that misbehaves on purpose: it echoes the credential back in an error body.
  keystone = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`internal error while handling ${body}`);
    });
  });
  await new Promise<void>((r) => keystone.listen(0, '127.0.0.1', r));
  ksUrl = `http://127.0.0.1:${(keystone.address() as AddressInfo).port}/v3`;
  // Capture everything the server side prints.
  for (const m of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    const orig = console[m];
    console[m] = (...args: unknown[]) => {
      captured.push(
        args
          .map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a)))
          .join(' '),
      );
    };
    restore.push(() => {
      console[m] = orig;
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const orig = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = orig;
    });
  }
});
afterAll(() => {
  delete process.env.ALLOW_PRIVATE_ENDPOINTS;
  for (const r of restore.splice(0)) r();
  keystone?.close();
});

describe('canary: planted secrets appear nowhere', () => {
  test('API responses, action form state, audit events, logs, errors and a database dump', async () => {
    const cloud = await makeCloud((await makeOrg()).id, { prefix: 'canary' });
    const foreign = await makeCloud((await makeOrg()).id, { prefix: 'canary-x' });
    const csp = await makeUser('csp', [cloud.organizationId]);
    current = ctxOf(csp);
    const route = await import('../../app/api/v1/clouds/[slug]/credential/route');
    const testRoute = await import('../../app/api/v1/clouds/[slug]/credential/test/route');
    const params = (slug: string) => ({ params: Promise.resolve({ slug }) });
    const req = (method: string, slug: string, body?: unknown, query = '') =>
      new Request(`http://localhost/api/v1/clouds/${slug}/credential${query}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
    const responses: Array<{ what: string; status: number; text: string }> = [];
    const call = async (what: string, p: Promise<Response>) => {
      const r = await p;
      const text = await r.text();
      responses.push({ what, status: r.status, text });
      return { status: r.status, json: text ? JSON.parse(text) : null };
    };

    // explicit fields with a password
    const put1 = await call(
      'PUT fields',
      route.PUT(
        req('PUT', cloud.slug, {
          type: 'password',
          auth_url: ksUrl,
          username: 'canary-user',
          user_domain_name: 'Default',
          password: CANARY.password,
          project_id: 'p1',
        }),
        params(cloud.slug),
      ),
    );
    expect(put1.status).toBe(200);
    expect(put1.json).toMatchObject({ type: 'password', principal: 'canary-user' });
    // clouds.yaml + secure.yaml, application credential, as the reader persona
    const cloudsYaml = `clouds:\n  mine:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: ${ksUrl}\n      application_credential_id: ac-canary\n    region_name: RegionOne\n`;
    const secureYaml = `clouds:\n  mine:\n    auth:\n      application_credential_secret: ${CANARY.appcred}\n`;
    expect(
      (
        await call(
          'PUT yaml',
          route.PUT(
            req(
              'PUT',
              cloud.slug,
              { clouds_yaml: cloudsYaml, secure_yaml: secureYaml, cloud: 'mine' },
              '?persona=reader',
            ),
            params(cloud.slug),
          ),
        )
      ).status,
    ).toBe(200);
    // errors that carry the canary in their input
    const broken = `clouds:\n  x:\n    auth:\n      password: "${CANARY.yamlBroken}\n  y: [\n`;
    expect(
      (await call('PUT broken yaml', route.PUT(req('PUT', cloud.slug, { clouds_yaml: broken }), params(cloud.slug))))
        .status,
    ).toBe(422);
    const v2 = `clouds:\n  x:\n    auth:\n      auth_url: https://k/v2.0\n      username: u\n      password: ${CANARY.yamlBroken}\n`;
    expect(
      (await call('PUT v2 yaml', route.PUT(req('PUT', cloud.slug, { clouds_yaml: v2 }), params(cloud.slug)))).status,
    ).toBe(422);
    expect(
      (
        await call(
          'PUT not json',
          route.PUT(req('PUT', cloud.slug, `{"password": "${CANARY.password}"`), params(cloud.slug)),
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await call(
          'PUT openrc',
          route.PUT(
            req(
              'PUT',
              cloud.slug,
              { openrc: `export OS_AUTH_URL=${ksUrl}\nexport OS_USERNAME=u\nexport OS_PASSWORD=${CANARY.openrc}\n` },
              '?persona=other-project',
            ),
            params(cloud.slug),
          ),
        )
      ).status,
    ).toBe(422);
    expect(
      (
        await call(
          'PUT foreign',
          route.PUT(req('PUT', foreign.slug, { password: CANARY.password }), params(foreign.slug)),
        )
      ).status,
    ).toBe(404);
    // reads
    expect((await call('GET', route.GET(req('GET', cloud.slug), params(cloud.slug)))).status).toBe(200);
    expect(
      (await call('GET all', route.GET(req('GET', cloud.slug, undefined, '?persona=all'), params(cloud.slug)))).json
        .items.reader,
    ).toMatchObject({ principal: 'ac-canary' });
    // connection tests against a Keystone that echoes the secret back in its error
    const t1 = await call(
      'POST test',
      testRoute.POST(
        new Request(`http://localhost/api/v1/clouds/${cloud.slug}/credential/test`, { method: 'POST' }),
        params(cloud.slug),
      ),
    );
    expect(t1.json).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 500/) });
    const t2 = await call(
      'POST test reader',
      testRoute.POST(
        new Request(`http://localhost/api/v1/clouds/${cloud.slug}/credential/test?persona=reader`, { method: 'POST' }),
        params(cloud.slug),
      ),
    );
    expect(t2.json.ok).toBe(false);
    // anonymous
    current = ctxOf(null);
    expect((await call('GET anonymous', route.GET(req('GET', cloud.slug), params(cloud.slug)))).status).toBe(401);
    current = ctxOf(csp);

    // the server action, failing on purpose: its form state must not echo the pasted files
    const { setCredentialAction } = await import('../../app/(app)/clouds/[slug]/credential/actions');
    const fd = new FormData();
    fd.set('slug', cloud.slug);
    fd.set('source', 'clouds_yaml');
    fd.set('clouds_yaml', v2);
    fd.set('secure_yaml', secureYaml);
    fd.set('password', CANARY.password);
    const state = await setCredentialAction({}, fd);
    expect(state.status).toBe(422);
    expect(state.errors?.clouds_yaml).toMatch(/Keystone v2/);
    const actionState = JSON.stringify(state);

    // what a run would get, decrypted in memory, is right (proves the canaries were really stored)
    const { decryptCloudConfig } = await import('../../lib/credentials');
    const cfg = await decryptCloudConfig(cloud.id);
    expect(cfg?.auth).toMatchObject({ password: CANARY.password });
    expect(cfg?.personas?.reader).toMatchObject({ applicationCredentialSecret: CANARY.appcred });

    // delete one, after everything else
    expect(
      (
        await call(
          'DELETE reader',
          route.DELETE(req('DELETE', cloud.slug, undefined, '?persona=reader'), params(cloud.slug)),
        )
      ).status,
    ).toBe(204);

    for (const r of responses) assertClean(`API response (${r.what})`, r.text);
    assertClean('server action form state', actionState);
    const { db } = await import('../../lib/db');
    const audit = await db.auditEvent.findMany({ where: { targetId: cloud.slug } });
    expect(audit.map((a) => a.action).sort()).toEqual([
      'credential.delete',
      'credential.set',
      'credential.set',
      'credential.test',
      'credential.test',
    ]);
    assertClean(
      'audit events',
      JSON.stringify(audit, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
    );
    assertClean('captured console and stdout/stderr', captured.join('\n'));

    // The whole database: pg_dump when a client matching the server exists, else every row of every table as JSON.
    const dump = databaseDump(
      databaseUrl(),
      await db.$queryRawUnsafe<Array<{ t: string }>>(
        `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
      ),
    );
    const text =
      dump.kind === 'pg_dump'
        ? dump.text
        : (
            await Promise.all(
              dump.tables.map(async (t) =>
                (await db.$queryRawUnsafe<Array<{ j: string }>>(`SELECT row_to_json(x)::text AS j FROM ${t} x`))
                  .map((r) => r.j)
                  .join('\n'),
              ),
            )
          ).join('\n');
    expect(text.length).toBeGreaterThan(1000);
    expect(text).toContain('canary-user'); // the dump does hold the credentials' metadata
    assertClean(`database dump (${dump.kind})`, text);
    console.info(
      `[vault-canary] database dump via ${dump.kind}; ${responses.length} API responses, ${audit.length} audit events, ${captured.length} captured output chunks checked`,
    );
  }, 60_000);
});

function databaseDump(
  url: string,
  tables: Array<{ t: string }>,
): { kind: 'pg_dump'; text: string } | { kind: 'sql row_to_json'; tables: string[] } {
  try {
    const text = execFileSync('pg_dump', ['--no-owner', '--inserts', url], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    return { kind: 'pg_dump', text };
  } catch {
    // Debian 12's pg_dump is 15 and refuses a PostgreSQL 18 server ("server version mismatch").
    return { kind: 'sql row_to_json', tables: tables.map((r) => r.t) };
  }
}
