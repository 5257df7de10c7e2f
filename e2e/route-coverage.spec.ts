// Route coverage: every page, route handler and server action under app/ is found by walking the
// tree (and the build's server-action manifest), and each must either be public by design (listed
// here, with a reason) or refuse an anonymous caller and a CSP user of another organization.
// A new route without a permission check fails this test.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test, expect, type APIRequestContext } from '@playwright/test';
import { adminCli, base, dbQuery, makeWorld, signIn, type World } from './support/setup';

const PUBLIC_PAGES: Record<string, string> = {
  '/': 'only redirects to /compliance',
  '/signin': 'the sign-in form',
  '/invite/[token]': 'the invitation token in the URL is the credential',
};
const PUBLIC_ROUTES: Record<string, string> = {
  '/api/auth/[...nextauth]': 'Auth.js endpoints (sign-in, callback, sign-out, CSRF)',
  '/api/health': 'for load balancers; reveals no data',
  '/api/[...unknown]': 'the JSON 404 of API paths without a route; reveals nothing',
  '/api/v1/openapi.json': 'the API description',
  '/api/v1/status': 'public status JSON of publicly listed clouds (404 for others)',
  '/api/v1/certificates/revoked': 'public certificate revocation list as JSON',
  '/certificates/revoked':
    'public certificate revocation list (SCS-0004 §7), plain HTML; names only of publicly listed clouds',
  '/status': 'public certificate status overview (SCS-0004 §4), plain HTML: publicly listed clouds only',
  '/status/[slug]':
    'public certificate status page (plain HTML) of a publicly listed cloud (404 otherwise); no documents, no evidence',
  '/badge/[slug]': 'public status badge of a publicly listed cloud (404 otherwise)',
  '/status/[slug]/qr.svg': 'QR code of a public status page URL (404 for others)',
  '/status/[slug]/qr.png': 'QR code of a public status page URL (404 for others)',
  '/viewer/pdf': 'the empty document of the sandboxed PDF preview; the page posts the file in, it holds none',
  '/viewer/pdf/[asset]': "the PDF preview's scripts and style (pdf.js and our viewer), the same for everyone",
  '/reports':
    "signed reports of the official SCS runner in the compliance monitor's protocol: HTTP Basic (SCS subject, API token of a user of the cloud's organization) and an SSHSIG signature by one of its keys; refusals are 401 as at the monitor (tests/integration/interop-reports.test.ts, npm run test:interop)",
  '/api/v1/signing-key': "this instance's public report-signing key (one OpenSSH line), for compliance monitors",
  '/status/feed.atom': 'Atom feed of status changes of publicly listed clouds (status words only)',
  '/status/[slug]/feed.atom': "Atom feed of a publicly listed cloud's status changes (404 for others)",
};
const PUBLIC_ACTIONS: Record<string, string> = {
  'app/(app)/actions.ts#signOutAction': "signing out only clears the caller's cookie",
  'app/signin/actions.ts#signInWithPassword': 'signing in',
  'app/signin/actions.ts#signInWithOidc': 'signing in',
  'app/invite/[token]/actions.ts#acceptInvitationAction': 'the invitation token is the credential',
};

// Acting on the caller's own things only: refused when anonymous, allowed to any signed-in user.
const SELF_SCOPED_ACTIONS: Record<string, string> = {
  'app/(app)/settings/tokens/actions.ts#createTokenAction': 'creates a personal token for the caller',
  'app/(app)/settings/notifications/actions.ts#savePreferencesAction':
    "saves the caller's own notification preferences",
};

const require = createRequire(import.meta.url);
const root = process.cwd();

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(path.relative(root, p));
  }
  return out;
}
const files = walk(path.join(root, 'app'));

/** '/app/(app)/clouds/[slug]/page.tsx' -> '/clouds/[slug]' */
function pattern(file: string): string {
  const segs = path
    .dirname(file)
    .split(path.sep)
    .slice(1)
    .filter((s) => !/^\(.*\)$/.test(s));
  return '/' + segs.join('/');
}

/** Objects of organization B made in beforeAll beyond the world (an attestation and its file). */
const extra: Record<string, string> = {};

/** Fills every dynamic segment with an object of organization B; unknown segments fail loudly. */
function fill(p: string, w: World): string {
  const segs = p.split('/');
  return segs
    .map((s, i) => {
      if (!s.startsWith('[')) return s;
      const owner = segs[i - 1];
      const value = (
        { clouds: w.cloudB, organizations: w.orgB, users: w.cspB.id, runs: w.runB, ...extra } as Record<
          string,
          string | undefined
        >
      )[owner];
      if (!value) throw new Error(`route-coverage: teach fill() which organization-B object goes into ${s} of ${p}`);
      return value;
    })
    .join('/');
}

const pages = files.filter((f) => /\/page\.(tsx|ts|jsx|js)$/.test(f)).map(pattern);
const routes = files
  .filter((f) => /\/route\.(ts|js)$/.test(f))
  .map((f) => ({
    pattern: pattern(f),
    methods: [
      ...fs
        .readFileSync(f, 'utf8')
        .matchAll(
          /export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b|export\s+const\s+\{([^}]*)\}/g,
        ),
    ]
      .flatMap((m) => (m[1] ? [m[1]] : m[2].split(',').map((s) => s.trim())))
      .filter((m) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(m)),
  }));
const actions = files
  .filter((f) => /\.(ts|tsx)$/.test(f) && /^\s*['"]use server['"]/.test(fs.readFileSync(f, 'utf8')))
  .flatMap((f) =>
    [...fs.readFileSync(f, 'utf8').matchAll(/export\s+async\s+function\s+(\w+)/g)].map((m) => ({
      file: f,
      name: m[1],
    })),
  );

let world: World;
/** Ids of organization B's things that actions address by `id`, by the folder of the action. */
const idOf: Record<string, string> = {};
test.beforeAll(async ({ request }) => {
  world = await makeWorld(request);
  const [u] = await dbQuery<{ id: string }>('SELECT id FROM "User" WHERE email = $1', [world.cspB.email]);
  world.cspB.id = u.id;
  adminCli(['create-token', world.cspB.email, '--days', '1', '--name', 'B token']);
  const [t] = await dbQuery<{ id: string }>(
    'SELECT t.id FROM "ApiToken" t JOIN "User" u ON u.id = t."userId" WHERE u.email = $1',
    [world.cspB.email],
  );
  const [inv] = await dbQuery<{ id: string }>(
    `INSERT INTO "Invitation" (id, email, "organizationId", "tokenHash", "expiresAt")
     SELECT gen_random_uuid(), $1, o.id, md5(random()::text), now() + interval '1 day' FROM "Organization" o WHERE o.slug = $2 RETURNING id`,
    [`invitee-${world.orgB}@e2e.example`, world.orgB],
  );
  Object.assign(idOf, { users: u.id, tokens: t.id, invitations: inv.id });
  // An attestation of cloud B (its statement carries B's canary) with one evidence file.
  const att = await request.fetch(`${base()}/api/v1/clouds/${world.cloudB}/attestations`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${world.adminToken}` },
    data: { statement: { contactName: world.canariesB[0] } },
  });
  expect(att.status()).toBe(201);
  extra.attestations = (await att.json()).id;
  const file = await request.fetch(`${base()}/api/v1/attestations/${extra.attestations}/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${world.adminToken}` },
    multipart: { file: { name: 'canary.txt', mimeType: 'text/plain', buffer: Buffer.from(world.canariesB[0]) } },
  });
  expect(file.status()).toBe(201);
  extra.files = (await file.json()).id;
  idOf.attestations = extra.attestations;
  // A report-signing key of organization B, for /api/v1/organizations/[slug]/keys/[name].
  const key = await request.fetch(`${base()}/api/v1/organizations/${world.orgB}/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${world.adminToken}` },
    data: { name: 'route-coverage', publicKey: fs.readFileSync('tests/unit/fixtures/sshsig/ed25519.pub', 'utf8') },
  });
  expect(key.status()).toBe(201);
  extra.keys = 'route-coverage';
  // A finished run of organization B's cloud, for /runs/[id] and /api/v1/runs/[id]/...
  const [r] = await dbQuery<{ id: string }>(
    `INSERT INTO "Run" (id, "cloudId", status, trigger, "finishedAt") SELECT gen_random_uuid(), id, 'finished', 'manual', now() FROM "Cloud" WHERE slug = $1 RETURNING id`,
    [world.cloudB],
  );
  world.runB = r.id;
  idOf.runs = world.runB!;
});

function leaksB(body: string): string | undefined {
  return world.canariesB.find((c) => body.includes(c));
}

test('the tree has pages, route handlers and server actions to check', () => {
  expect(pages.length).toBeGreaterThan(5);
  expect(routes.length).toBeGreaterThan(3);
  expect(actions.length).toBeGreaterThan(3);
});

test('every private page sends an anonymous caller to sign-in', async ({ playwright }) => {
  const anon = await playwright.request.newContext({ baseURL: base() });
  for (const p of pages.filter((p) => !(p in PUBLIC_PAGES))) {
    const res = await anon.get(fill(p, world), { maxRedirects: 0 });
    expect.soft([302, 303, 307, 308], `${p} answered ${res.status()}`).toContain(res.status());
    expect.soft(res.headers().location ?? '', `${p} redirected elsewhere`).toContain('/signin');
  }
  await anon.dispose();
});

test('every private page refuses a CSP user of another organization', async ({ page }) => {
  await signIn(page, world.csp.email, world.csp.password);
  for (const p of pages.filter((p) => !(p in PUBLIC_PAGES))) {
    const res = await page.request.get(fill(p, world), { maxRedirects: 0 });
    const body = await res.text();
    // Either refused outright, or a list page that shows only the caller's own organization.
    if (res.status() === 200)
      expect.soft(leaksB(body), `${p} showed organization B's data to a CSP user of A`).toBeUndefined();
    else expect.soft([403, 404], `${p} answered ${res.status()}`).toContain(res.status());
  }
});

async function callRoute(ctx: APIRequestContext, method: string, url: string, token?: string) {
  const body = {
    slug: `x-${Date.now()}`,
    name: 'Route coverage',
    organization: world.orgB,
    region: 'RegionOne',
    public: false,
  };
  return ctx.fetch(`${base()}${url}`, {
    method,
    maxRedirects: 0,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    ...(method === 'GET' || method === 'DELETE' ? {} : { data: body }),
  });
}

test('every private route handler refuses an anonymous caller and a CSP user of another organization', async ({
  playwright,
}) => {
  const ctx = await playwright.request.newContext();
  for (const r of routes.filter((r) => !(r.pattern in PUBLIC_ROUTES))) {
    expect(r.methods.length, `${r.pattern} exports no HTTP method`).toBeGreaterThan(0);
    const url = fill(r.pattern, world);
    for (const m of r.methods) {
      const anon = await callRoute(ctx, m, url);
      expect.soft(anon.status(), `${m} ${r.pattern} as anonymous`).toBe(401);
      const other = await callRoute(ctx, m, url, world.csp.token);
      const body = await other.text();
      if (other.status() < 300)
        expect.soft(leaksB(body), `${m} ${r.pattern} leaked organization B's data`).toBeUndefined();
      else
        expect
          .soft([403, 404], `${m} ${r.pattern} as a CSP user of A answered ${other.status()}`)
          .toContain(other.status());
    }
  }
  await ctx.dispose();
});

test('every private server action refuses an anonymous caller and a CSP user of another organization', async ({
  page,
  playwright,
}) => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8'))
    .node as Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  const { encodeReply } = require(
    path.join(root, 'node_modules/next/dist/compiled/react-server-dom-turbopack/client.edge.js'),
  );
  await signIn(page, world.csp.email, world.csp.password);
  const anon = await playwright.request.newContext();
  const countEvents = async () => Number((await dbQuery<{ n: string }>('SELECT count(*) AS n FROM "AuditEvent"'))[0].n);

  for (const a of actions) {
    const key = `${a.file}#${a.name}`;
    if (key in PUBLIC_ACTIONS) continue;
    const entry = Object.entries(manifest).find(([, v]) => v.filename === a.file && v.exportedName === a.name);
    expect.soft(entry, `${key} is not used by any page (not in the build's action manifest)`).toBeTruthy();
    if (!entry) continue;
    const [id, info] = entry;
    const worker = Object.keys(info.workers)[0]
      .replace(/^app/, '')
      .replace(/\/page$/, '');
    const url = fill(pattern(`app${worker}/page.tsx`), world);
    // Target organization B's objects through every field name actions use for their target.
    const folders = a.file.split('/');
    const area = folders.find((s) => s === 'clouds' || s === 'organizations');
    const idArea = folders.find((s) => s in idOf);
    const fd = new FormData();
    for (const [k, v] of Object.entries({
      slug: area === 'organizations' ? world.orgB : world.cloudB,
      id: idArea ? idOf[idArea] : world.cspB.id,
      organization: world.orgB,
      fileId: extra.files,
      decision: 'approve',
      comment: 'Route coverage',
      confirm: 'on',
      signerName: 'Route coverage',
      name: 'Route coverage',
      region: 'RegionOne',
      email: `rc-${Date.now()}@e2e.example`,
      role: 'admin',
      days: '1',
      archive: 'true',
    }))
      fd.append(k, v);
    const body = await encodeReply([{}, fd]);
    const before = await countEvents();
    const selfScoped = key in SELF_SCOPED_ACTIONS;
    for (const [who, ctx] of (selfScoped
      ? [['anonymous', anon]]
      : [
          ['anonymous', anon],
          ['CSP user of A', page.request],
        ]) as [string, APIRequestContext][]) {
      const res = await ctx.fetch(`${base()}${url}`, {
        method: 'POST',
        multipart: body as FormData,
        maxRedirects: 0,
        headers: { 'Next-Action': id, Origin: base(), Accept: 'text/x-component' },
      });
      const text = await res.text();
      const refused =
        who === 'anonymous'
          ? /"status":401/.test(text) || (res.headers()['x-action-redirect'] ?? '').includes('/signin')
          : /"status":40[34]/.test(text);
      expect.soft(refused, `${key} as ${who}: ${res.status()} ${text.slice(0, 300)}`).toBe(true);
    }
    expect.soft(await countEvents(), `${key} changed something`).toBe(before);
  }
  await anon.dispose();
});
