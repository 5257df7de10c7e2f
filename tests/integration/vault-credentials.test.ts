import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ctxOf, databaseUrl, makeCloud, makeOrg, makeUser, tempDir } from './support/fixtures';
import { Vault } from '../../lib/vault';
import type { Actor } from '../../lib/auth/policy';

/**
 * Credentials on real PostgreSQL: the policy (own organization, staff, other organization hidden,
 * anonymous), the write-only view, replace and delete with audit events, import errors, and the
 * connection test against a small fake Keystone.
 */
let db: typeof import('../../lib/db').db;
let creds: typeof import('../../lib/credentials');
let keystone: http.Server;
let ksUrl = '';
let roles = ['member', 'reader'];
let catalogRegion = 'RegionOne';

function fakeKeystone(): http.Server {
  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v3/auth/tokens') {
        const auth = JSON.parse(body).auth.identity;
        const ok =
          auth.password?.user?.password === 'right-password' || auth.application_credential?.secret === 'right-secret';
        if (!ok) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end('{"error":{"code":401,"message":"The request you have made requires authentication."}}');
          return;
        }
        res.writeHead(201, {
          'content-type': 'application/json',
          'x-subject-token': 'gAAAAAfaketoken0123456789abcdefghij',
        });
        res.end(
          JSON.stringify({
            token: {
              expires_at: new Date(Date.now() + 3600_000).toISOString(),
              methods: ['password'],
              roles: roles.map((name) => ({ id: name, name })),
              project: { id: 'p1', name: 'demo', domain: { id: 'default', name: 'Default' } },
              user: { id: 'u1', name: 'alice' },
              catalog: [
                {
                  type: 'identity',
                  name: 'keystone',
                  endpoints: [{ interface: 'public', region_id: catalogRegion, url: ksUrl }],
                },
                {
                  type: 'key-manager',
                  name: 'barbican',
                  endpoints: [{ interface: 'public', region_id: catalogRegion, url: 'http://127.0.0.1:9311' }],
                },
              ],
            },
          }),
        );
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
}

let cloud: Awaited<ReturnType<typeof makeCloud>>;
let other: Awaited<ReturnType<typeof makeCloud>>;
let csp: Actor, cspOther: Actor, reviewer: Actor;

beforeAll(async () => {
  databaseUrl();
  process.env.KEK_PROVIDER = 'file';
  process.env.DATA_DIR = tempDir('vault-cred-');
  // The fake Keystone listens on loopback; CSP users may not allow private addresses per cloud.
  process.env.ALLOW_PRIVATE_ENDPOINTS = 'true';
  db = (await import('../../lib/db')).db;
  creds = await import('../../lib/credentials');
  (await import('../../lib/credentials/vault')).setVault(
    Vault.fromEnv({ env: { DATA_DIR: process.env.DATA_DIR, KEK_PROVIDER: 'file' } }),
  );
  keystone = fakeKeystone();
  await new Promise<void>((r) => keystone.listen(0, '127.0.0.1', r));
  ksUrl = `http://127.0.0.1:${(keystone.address() as AddressInfo).port}/v3`;
  cloud = await makeCloud((await makeOrg()).id, { prefix: 'cred-a' });
  other = await makeCloud((await makeOrg()).id, { prefix: 'cred-b' });
  csp = await makeUser('csp', [cloud.organizationId]);
  cspOther = await makeUser('csp', [other.organizationId]);
  reviewer = await makeUser('reviewer');
});
afterAll(async () => {
  keystone?.close();
  delete process.env.ALLOW_PRIVATE_ENDPOINTS;
});

const pw = (over: Record<string, unknown> = {}) => ({
  type: 'password',
  auth_url: ksUrl,
  username: 'alice',
  user_domain_name: 'Default',
  password: 'right-password',
  project_id: 'p1',
  ...over,
});

describe('credentials', () => {
  test("a CSP sets its own cloud's credential; the view is write-only; the event is audited", async () => {
    const v = await creds.setCredential(ctxOf(csp), cloud.slug, pw());
    expect(v).toMatchObject({
      persona: 'primary',
      type: 'password',
      principal: 'alice',
      authUrl: ksUrl,
      region: 'RegionOne',
      setBy: csp.email,
    });
    expect(v.fingerprint).toMatch(/^[0-9a-f]{4}$/);
    expect(JSON.stringify(v)).not.toContain('right-password');
    const ev = await db.auditEvent.findFirstOrThrow({ where: { targetId: cloud.slug, action: 'credential.set' } });
    expect(ev.summary).toContain(`fingerprint ${v.fingerprint}`);
    expect(ev.organizationId).toBe(cloud.organizationId);
  });

  test('another organization\'s user gets "not found" for read, write, delete and test; anonymous is unauthenticated', async () => {
    for (const fn of [
      () => creds.getCredential(ctxOf(cspOther), cloud.slug),
      () => creds.setCredential(ctxOf(cspOther), cloud.slug, pw()),
      () => creds.deleteCredential(ctxOf(cspOther), cloud.slug),
      () => creds.testConnection(ctxOf(cspOther), cloud.slug),
    ])
      await expect(fn()).rejects.toMatchObject({ decision: 'hidden', status: 404 });
    await expect(creds.getCredential(ctxOf(null), cloud.slug)).rejects.toMatchObject({ decision: 'unauthenticated' });
    await expect(creds.getCredential(ctxOf(cspOther), 'no-such-cloud')).rejects.toMatchObject({ status: 404 });
  });

  test('staff replace it (new id, new envelope); replace and delete are audited', async () => {
    const before = await db.credential.findFirstOrThrow({ where: { cloudId: cloud.id, persona: 'primary' } });
    const v = await creds.setCredential(
      ctxOf(reviewer),
      cloud.slug,
      pw({
        type: 'application_credential',
        application_credential_id: 'ac-1',
        application_credential_secret: 'right-secret',
      }),
    );
    expect(v).toMatchObject({ type: 'application_credential', principal: 'ac-1', setBy: reviewer.email });
    const after = await db.credential.findFirstOrThrow({ where: { cloudId: cloud.id, persona: 'primary' } });
    expect(after.id).not.toBe(before.id);
    expect(await db.auditEvent.count({ where: { targetId: cloud.slug, action: 'credential.replace' } })).toBe(1);
    await creds.setCredential(ctxOf(csp), cloud.slug, { ...pw(), persona: 'reader' });
    await creds.deleteCredential(ctxOf(csp), cloud.slug, 'reader');
    expect(await db.auditEvent.count({ where: { targetId: cloud.slug, action: 'credential.delete' } })).toBe(1);
    await expect(creds.getCredential(ctxOf(csp), cloud.slug, 'reader')).rejects.toMatchObject({ status: 404 });
  });

  test('import errors are specific and keyed to the input', async () => {
    const yaml = `clouds:\n  a:\n    auth:\n      auth_url: ${ksUrl}\n      username: x\n      user_domain_name: Default\n      password: p\n  b:\n    auth_type: v3token\n    auth: {auth_url: ${ksUrl}}\n`;
    await expect(creds.setCredential(ctxOf(csp), cloud.slug, { clouds_yaml: yaml })).rejects.toMatchObject({
      status: 422,
      fields: { cloud: 'Choose an entry: a, b.' },
    });
    await expect(creds.setCredential(ctxOf(csp), cloud.slug, { clouds_yaml: yaml, cloud: 'a' })).rejects.toMatchObject({
      fields: { clouds_yaml: expect.stringMatching(/No project scope/) },
    });
    await expect(creds.setCredential(ctxOf(csp), cloud.slug, { clouds_yaml: yaml, cloud: 'b' })).rejects.toMatchObject({
      fields: { clouds_yaml: expect.stringMatching(/not supported/) },
    });
    await expect(
      creds.setCredential(ctxOf(csp), cloud.slug, pw({ auth_url: 'https://k:5000/v2.0' })),
    ).rejects.toMatchObject({ fields: { auth_url: expect.stringMatching(/Keystone v2/) } });
    await expect(creds.setCredential(ctxOf(csp), cloud.slug, pw({ persona: 'admin' }))).rejects.toMatchObject({
      status: 422,
    });
  });

  test('test connection: roles, project, services, key-manager endpoint and warnings; stored as the last test and audited', async () => {
    await creds.setCredential(ctxOf(csp), cloud.slug, pw());
    roles = ['member', 'reader'];
    const r = await creds.testConnection(ctxOf(csp), cloud.slug);
    expect(r).toMatchObject({
      ok: true,
      roles: ['member', 'reader'],
      project: { id: 'p1', name: 'demo' },
      services: ['identity', 'key-manager'],
      keyManager: { url: 'http://127.0.0.1:9311', region: 'RegionOne' },
    });
    expect(r.warnings).toEqual([expect.stringMatching(/plain http/)]);
    expect((await creds.getCredential(ctxOf(csp), cloud.slug)).lastTest).toMatchObject({ ok: true });

    roles = ['admin', 'member'];
    catalogRegion = 'RegionTwo';
    const w = await creds.testConnection(ctxOf(reviewer), cloud.slug);
    expect(w.warnings.join(' ')).toMatch(/carries admin: the official checks would ABORT/);
    expect(w.warnings.join(' ')).toMatch(/no key-manager \(public\) in region RegionOne; it does in RegionTwo/);
    roles = ['reader'];
    expect((await creds.testConnection(ctxOf(csp), cloud.slug)).warnings.join(' ')).toMatch(/no member role/);
    catalogRegion = 'RegionOne';

    await creds.setCredential(ctxOf(csp), cloud.slug, pw({ password: 'wrong-password' }));
    const f = await creds.testConnection(ctxOf(csp), cloud.slug);
    expect(f.ok).toBe(false);
    expect(f.error).toMatch(/401/);
    expect(await db.auditEvent.count({ where: { targetId: cloud.slug, action: 'credential.test' } })).toBe(4);
  });

  test('a private address is refused unless allowed; only staff may allow it for a cloud', async () => {
    delete process.env.ALLOW_PRIVATE_ENDPOINTS;
    try {
      await creds.setCredential(ctxOf(csp), cloud.slug, pw({ allow_private_addresses: false }));
      const r = await creds.testConnection(ctxOf(csp), cloud.slug);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/Refused to connect/);
      // A CSP switching the address guard off for its own cloud is an SSRF: 403 with a reason.
      const err = await creds
        .setCredential(ctxOf(csp), cloud.slug, pw({ allow_private_addresses: true }))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 403, message: expect.stringMatching(/only certification staff/) });
      expect((await creds.getCredential(ctxOf(csp), cloud.slug)).allowPrivateAddresses).toBe(false);
      const v = await creds.setCredential(ctxOf(reviewer), cloud.slug, pw({ allow_private_addresses: true }));
      expect(v.allowPrivateAddresses).toBe(true);
      expect((await creds.testConnection(ctxOf(csp), cloud.slug)).ok).toBe(true);
    } finally {
      process.env.ALLOW_PRIVATE_ENDPOINTS = 'true';
    }
  });

  test('decryptCloudConfig returns the auth and personas for a run', async () => {
    await creds.setCredential(ctxOf(csp), cloud.slug, pw());
    await creds.setCredential(ctxOf(csp), cloud.slug, { ...pw({ username: 'bob' }), persona: 'other-project' });
    const cfg = await creds.decryptCloudConfig(cloud.id);
    expect(cfg?.auth).toMatchObject({ type: 'password', password: 'right-password' });
    expect(cfg?.personas?.otherProject).toMatchObject({ username: 'bob' });
  });
});
