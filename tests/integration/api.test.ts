import { beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';

/**
 * API v1 over its real route handlers (app/api/v1/**), called as Next calls them: a web Request
 * and `{ params: Promise }`. Bearer-token requests run exactly the production code path
 * (lib/next/session.ts `requestContext` never touches Next for them). Requests without a bearer
 * token fall back to the next-auth session, which needs Next's request scope; for those, the
 * session lookup (`auth()` and `headers()`) is replaced by a stub that returns `session` below.
 */
const session = vi.hoisted(() => ({ current: null as null | { userId: string } }));
vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers() }));
vi.mock('@/lib/next/auth', () => ({ auth: async () => session.current }));

import * as me from '@/app/api/v1/me/route';
import * as organizations from '@/app/api/v1/organizations/route';
import * as clouds from '@/app/api/v1/clouds/route';
import * as cloud from '@/app/api/v1/clouds/[slug]/route';
import * as openapi from '@/app/api/v1/openapi.json/route';
import {
  cloudListSchema,
  cloudSchema,
  errorSchema,
  meSchema,
  organizationListSchema,
  organizationSchema,
} from '@/lib/api/schemas';
import { db } from '@/lib/db';
import { createToken, revokeToken } from '@/lib/tokens';
import type { Actor } from '@/lib/auth/policy';
import { ctxOf, makeCloud, makeOrg, makeUser, uid } from './support/fixtures';

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function call(
  handler: unknown,
  opts: {
    method?: string;
    path?: string;
    token?: string | null;
    body?: unknown;
    rawBody?: string;
    params?: Record<string, string>;
  } = {},
) {
  // As the front process passes requests on: the client address it saw, and its per-boot proof.
  process.env.SCS_FRONT_SECRET ??= 'api-test-front-secret';
  const headers = new Headers({
    'x-scs-client-address': '192.0.2.55',
    'x-scs-front-proof': process.env.SCS_FRONT_SECRET,
  });
  if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
  if (opts.body !== undefined || opts.rawBody !== undefined) headers.set('content-type', 'application/json');
  const req = new Request(`http://127.0.0.1:3300/api/v1${opts.path ?? '/'}`, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const res = await (handler as Handler)(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

async function tokenFor(actor: Actor): Promise<string> {
  return (await createToken(ctxOf(actor), actor.id, { name: 'api test' })).token;
}

let admin: Actor, reviewer: Actor, cspA: Actor, cspB: Actor;
let adminToken: string, reviewerToken: string, cspAToken: string, cspBToken: string;
let orgA: { id: string; slug: string }, orgB: { id: string; slug: string };

beforeAll(async () => {
  orgA = await makeOrg({ prefix: 'apia' });
  orgB = await makeOrg({ prefix: 'apib' });
  [admin, reviewer, cspA, cspB] = [
    await makeUser('admin'),
    await makeUser('reviewer'),
    await makeUser('csp', [orgA.id]),
    await makeUser('csp', [orgB.id]),
  ];
  [adminToken, reviewerToken, cspAToken, cspBToken] = await Promise.all([admin, reviewer, cspA, cspB].map(tokenFor));
});
beforeEach(() => {
  session.current = null;
});

describe('authentication', () => {
  test('GET /me with a token: the user, with organizations by slug', async () => {
    const r = await call(me.GET, { path: '/me', token: cspAToken });
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(meSchema.parse(r.json)).toEqual({
      id: cspA.id,
      email: cspA.email,
      name: cspA.name,
      role: 'csp',
      organizations: [{ slug: orgA.slug, name: expect.any(String) }],
      authenticatedBy: 'token',
    });
  });

  test('no credentials: 401 with the error shape and a WWW-Authenticate challenge', async () => {
    for (const [handler, path] of [
      [me.GET, '/me'],
      [organizations.GET, '/organizations'],
      [clouds.GET, '/clouds'],
      [cloud.GET, '/clouds/x'],
    ] as const) {
      const r = await call(handler, { path, params: { slug: 'x' } });
      expect(r.status, path).toBe(401);
      expect(errorSchema.parse(r.json).error.code).toBe('unauthenticated');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    // Anonymous writes are 401 before their body is looked at.
    expect(
      (await call(organizations.POST, { method: 'POST', path: '/organizations', rawBody: '{not json' })).status,
    ).toBe(401);
    expect((await call(clouds.POST, { method: 'POST', path: '/clouds', body: {} })).status).toBe(401);
  });

  test('a bad, revoked or expired token, or one of a deactivated user: 401', async () => {
    expect((await call(me.GET, { path: '/me', token: 'scskm_not-a-real-token' })).status).toBe(401);
    expect((await call(me.GET, { path: '/me', token: 'garbage' })).status).toBe(401);

    const user = await makeUser('reviewer');
    const t = await createToken(ctxOf(user), user.id, { name: 'x' });
    expect((await call(me.GET, { path: '/me', token: t.token })).status).toBe(200);
    await revokeToken(ctxOf(user), t.id);
    expect((await call(me.GET, { path: '/me', token: t.token })).status).toBe(401);

    const t2 = await createToken(ctxOf(user), user.id, { name: 'y' });
    await db.apiToken.update({ where: { id: t2.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call(me.GET, { path: '/me', token: t2.token })).status).toBe(401);

    const t3 = await createToken(ctxOf(user), user.id, { name: 'z' });
    await db.user.update({ where: { id: user.id }, data: { active: false } });
    expect((await call(me.GET, { path: '/me', token: t3.token })).status).toBe(401);
  });

  test('a session works without a token; a bad token is not rescued by a session', async () => {
    session.current = { userId: reviewer.id };
    const r = await call(me.GET, { path: '/me' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ email: reviewer.email, authenticatedBy: 'session' });
    expect((await call(me.GET, { path: '/me', token: 'scskm_wrong' })).status).toBe(401);
  });

  test('the token records its last use', async () => {
    const user = await makeUser('reviewer');
    const t = await createToken(ctxOf(user), user.id, { name: 'x' });
    await call(me.GET, { path: '/me', token: t.token });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toBeInstanceOf(Date);
  });
});

describe('organizations', () => {
  test('POST creates (201) with the documented shape; dates are ISO strings', async () => {
    const slug = `api-${uid()}`;
    const r = await call(organizations.POST, {
      method: 'POST',
      path: '/organizations',
      token: reviewerToken,
      body: { slug, name: 'API Org', contactEmails: ['a@example.test'] },
    });
    expect(r.status).toBe(201);
    const o = organizationSchema.parse(r.json);
    expect(o).toMatchObject({
      slug,
      name: 'API Org',
      contactEmails: ['a@example.test'],
      cloudCount: 0,
      archivedAt: null,
    });
    expect(new Date(o.createdAt).toISOString()).toBe(o.createdAt);
    const event = await db.auditEvent.findFirstOrThrow({ where: { targetId: slug } });
    expect(event).toMatchObject({
      action: 'organization.create',
      actorId: reviewer.id,
      actorLabel: `${reviewer.email} via api-token`,
      clientAddress: '192.0.2.55',
    });
  });

  test('POST errors: 409 taken, 422 with fields, 400 not JSON, 403 for csp users', async () => {
    const post = (token: string, init: { body?: unknown; rawBody?: string }) =>
      call(organizations.POST, { method: 'POST', path: '/organizations', token, ...init });
    const conflict = await post(adminToken, { body: { slug: orgA.slug, name: 'dup' } });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toEqual({
      error: { code: 'conflict', message: expect.any(String), fields: { slug: expect.any(String) } },
    });

    const invalid = await post(adminToken, { body: { slug: 'Not Valid!', contactEmails: ['x'] } });
    expect(invalid.status).toBe(422);
    expect(errorSchema.parse(invalid.json).error.code).toBe('invalid_input');
    expect(Object.keys(invalid.json.error.fields).sort()).toEqual(['contactEmails.0', 'name', 'slug']);

    // The form's comma-separated string is not the API's shape: contacts are an array.
    expect(
      (await post(adminToken, { body: { slug: `s-${uid()}`, name: 'n', contactEmails: 'a@b.test' } })).status,
    ).toBe(422);
    expect((await post(adminToken, { body: [] })).status).toBe(422);

    const bad = await post(adminToken, { rawBody: '{"slug": ' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_json');

    const refused = await post(cspAToken, { body: { slug: `csp-${uid()}`, name: 'Mine' } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
  });

  test('GET lists what the caller may see, paginated as {items, total, page, pageSize}', async () => {
    const tag = `lst${uid()}`;
    for (const n of ['a', 'b', 'c'])
      await db.organization.create({ data: { slug: `${tag}-${n}`, name: `${tag} ${n}` } });
    const r = await call(organizations.GET, { path: `/organizations?q=${tag}&pageSize=2&page=2`, token: adminToken });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
    const page = organizationListSchema.parse(r.json);
    expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.items.map((o) => o.slug)).toEqual([`${tag}-c`]);

    const mine = organizationListSchema.parse(
      (await call(organizations.GET, { path: '/organizations?pageSize=200', token: cspAToken })).json,
    );
    expect(mine.items.map((o) => o.slug)).toEqual([orgA.slug]);

    const bad = await call(organizations.GET, { path: '/organizations?page=0&pageSize=x', token: adminToken });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.error.fields).sort()).toEqual(['page', 'pageSize']);
  });
});

describe('clouds', () => {
  const body = (over: Record<string, unknown> = {}) => ({
    slug: `api-${uid()}`,
    name: 'API Cloud',
    organization: orgA.slug,
    region: 'RegionOne',
    public: true,
    ...over,
  });

  test('POST creates (201) with the organization by slug', async () => {
    const b = body({ description: 'via API', contactEmails: ['ops@example.test'] });
    const r = await call(clouds.POST, { method: 'POST', path: '/clouds', token: adminToken, body: b });
    expect(r.status).toBe(201);
    expect(cloudSchema.parse(r.json)).toMatchObject({
      slug: b.slug,
      name: 'API Cloud',
      description: 'via API',
      region: 'RegionOne',
      public: true,
      contactEmails: ['ops@example.test'],
      organization: { slug: orgA.slug },
      archivedAt: null,
    });
    expect(r.json.organization).not.toHaveProperty('id');
  });

  test('POST validation: region and public are required, public must be a boolean', async () => {
    const r = await call(clouds.POST, {
      method: 'POST',
      path: '/clouds',
      token: adminToken,
      body: { slug: `x-${uid()}`, name: 'n', organization: orgA.slug, public: 'yes' },
    });
    expect(r.status).toBe(422);
    expect(Object.keys(r.json.error.fields).sort()).toEqual(['public', 'region']);
    const noOrg = await call(clouds.POST, {
      method: 'POST',
      path: '/clouds',
      token: adminToken,
      body: body({ organization: `missing-${uid()}` }),
    });
    expect(noOrg.status).toBe(422);
    expect(Object.keys(noOrg.json.error.fields)).toEqual(['organization']);
    const taken = await call(clouds.POST, {
      method: 'POST',
      path: '/clouds',
      token: adminToken,
      body: body({ slug: (await makeCloud(orgA.id)).slug }),
    });
    expect(taken.status).toBe(409);
  });

  test('POST by csp users: 403 in their own organization, 404 in another', async () => {
    expect((await call(clouds.POST, { method: 'POST', path: '/clouds', token: cspAToken, body: body() })).status).toBe(
      403,
    );
    const other = await call(clouds.POST, { method: 'POST', path: '/clouds', token: cspBToken, body: body() });
    expect(other.status).toBe(404);
    expect(other.json.error.code).toBe('not_found');
  });

  test("GET lists: staff see all, csp users only their organizations'; filters by q and organization", async () => {
    const tag = `cl${uid()}`;
    const a = await db.cloud.create({ data: { slug: `${tag}-a`, name: `${tag} a`, organizationId: orgA.id } });
    const b = await db.cloud.create({ data: { slug: `${tag}-b`, name: `${tag} b`, organizationId: orgB.id } });
    const list = async (token: string, qs: string) =>
      cloudListSchema.parse((await call(clouds.GET, { path: `/clouds?${qs}`, token })).json);
    expect((await list(reviewerToken, `q=${tag}`)).items.map((c) => c.slug)).toEqual([a.slug, b.slug]);
    expect((await list(reviewerToken, `q=${tag}&organization=${orgB.slug}`)).items.map((c) => c.slug)).toEqual([
      b.slug,
    ]);
    const forA = await list(cspAToken, `q=${tag}`);
    expect(forA.items.map((c) => c.slug)).toEqual([a.slug]);
    expect(forA.total).toBe(1);
    expect((await list(cspAToken, `organization=${orgB.slug}`)).total).toBe(0);
  });

  test('GET /clouds/{slug}: 200 for who may see it, 404 for a csp user of another organization and for unknown slugs', async () => {
    const c = await makeCloud(orgA.id);
    const own = await call(cloud.GET, { path: `/clouds/${c.slug}`, token: cspAToken, params: { slug: c.slug } });
    expect(own.status).toBe(200);
    expect(cloudSchema.parse(own.json).slug).toBe(c.slug);
    expect(
      (await call(cloud.GET, { path: `/clouds/${c.slug}`, token: reviewerToken, params: { slug: c.slug } })).status,
    ).toBe(200);
    const hidden = await call(cloud.GET, { path: `/clouds/${c.slug}`, token: cspBToken, params: { slug: c.slug } });
    const unknown = await call(cloud.GET, {
      path: '/clouds/nope',
      token: cspBToken,
      params: { slug: `nope-${uid()}` },
    });
    expect(hidden.status).toBe(404);
    // Existence is not revealed: an invisible cloud answers exactly like a missing one.
    expect(hidden.json).toEqual(unknown.json);
    expect(
      (await call(cloud.GET, { path: '/clouds/nope', token: adminToken, params: { slug: `nope-${uid()}` } })).status,
    ).toBe(404);
  });
});

test('GET /openapi.json is public and lists the API', async () => {
  const r = await call(openapi.GET, { path: '/openapi.json' });
  expect(r.status).toBe(200);
  expect(r.json.openapi).toBe('3.1.0');
  expect(Object.keys(r.json.paths)).toContain('/clouds/{slug}');
});
