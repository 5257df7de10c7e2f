// Compliance (issue 7): the overview and cloud page for each role, the public pages without
// JavaScript, badge and QR code, granting and revoking a certificate, the revocation list,
// exports, metrics, and an accessibility check (axe-core) of the main views. (The pictures of
// docs/user-guide.md come from e2e/first-hour.spec.ts, taken only by `npm run docs:images`.)
import { test, expect, type Page, type Response } from '@playwright/test';
import QRCode from 'qrcode';
import { axe } from './support/axe';
import { admin, adminCli, api, base, dbQuery, makeWorld, signIn, uid, type World } from './support/setup';

let world: World;
const reviewer = { email: `reviewer-${uid()}@e2e.example`, password: `pw-${uid()}-${uid()}` };
let runA = '';
let reviewerToken = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  world = await makeWorld(request);
  adminCli(['create-user', reviewer.email, '--role', 'reviewer', '--password-stdin'], reviewer.password);
  reviewerToken = adminCli(['create-token', reviewer.email, '--days', '1']);
  // Cloud A is publicly listed; cloud B stays private (its name is a canary).
  await dbQuery('UPDATE "Cloud" SET public = true WHERE slug = $1', [world.cloudA]);
  // 60 days of daily runs of both official testcases for cloud A (a FAIL 20 days ago), today's PASS last.
  await dbQuery(
    `
    WITH c AS (SELECT id FROM "Cloud" WHERE slug = $1),
    runs AS (
      INSERT INTO "Run" (id, "cloudId", status, trigger, "queuedAt", "startedAt", "finishedAt", "authUrl", region)
      SELECT gen_random_uuid(), c.id, 'finished', 'schedule', now() - (d || ' days')::interval - interval '5 minutes',
             now() - (d || ' days')::interval - interval '5 minutes', now() - (d || ' days')::interval,
             'https://keystone.cloud-a.e2e.example', 'RegionOne'
        FROM c, generate_series(0, 59) d
      RETURNING id, "cloudId", "finishedAt")
    INSERT INTO "RunResult" (id, "runId", "cloudId", testcase, verdict, message, "durationMs", "checkedAt")
    SELECT gen_random_uuid(), runs.id, runs."cloudId", t.testcase,
           (CASE WHEN t.testcase = 'scs-0116-permissions' AND runs."finishedAt" < now() - interval '19 days' AND runs."finishedAt" > now() - interval '21 days' THEN 'FAIL' ELSE 'PASS' END)::"Verdict",
           CASE WHEN runs."finishedAt" < now() - interval '19 days' AND runs."finishedAt" > now() - interval '21 days' AND t.testcase = 'scs-0116-permissions' THEN 'member could not store a secret' ELSE 'ok' END,
           800, runs."finishedAt"
      FROM runs CROSS JOIN (VALUES ('scs-0116-presence'), ('scs-0116-permissions')) t(testcase)`,
    [world.cloudA],
  );
  const [r] = await dbQuery<{ id: string }>(
    'SELECT r.id FROM "Run" r JOIN "Cloud" c ON c.id = r."cloudId" WHERE c.slug = $1 ORDER BY r."queuedAt" DESC LIMIT 1',
    [world.cloudA],
  );
  runA = r.id;
  // An approved attestation of cloud A (the manual testcase), valid for the quarter.
  await dbQuery(
    `
    INSERT INTO "Attestation" (id, "cloudId", revision, state, standard, statement, "createdByLabel", "submittedAt", "decidedAt", "approvedAt", "expiresAt")
    SELECT gen_random_uuid(), id, 1, 'approved', 'scs-0116-v1', '{}'::jsonb, 'e2e', now() - interval '2 days', now() - interval '1 day', now() - interval '1 day', now() + interval '90 days'
      FROM "Cloud" WHERE slug = $1`,
    [world.cloudA],
  );
});

test('staff see every cloud on the overview, with status, attestation and certificate columns', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 800 });
  await signIn(page, reviewer.email, reviewer.password);
  await page.goto('/');
  await expect(page).toHaveURL(/\/compliance$/);
  await page.goto(`/compliance?q=${world.cloudA.split('-').pop()}`);
  const rowA = page.locator(`[data-testid=overview-row][data-cloud="${world.cloudA}"]`);
  await expect(rowA.getByTestId('v1-status')).toHaveAttribute('data-status', 'PASS');
  await expect(
    page.locator(`[data-testid=overview-row][data-cloud="${world.cloudB}"]`).getByTestId('v1-status'),
  ).toHaveAttribute('data-status', 'MISS');
  // Filter by status.
  await page.goto(`/compliance?q=${world.cloudA.split('-').pop()}&status=MISS`);
  await expect(page.locator(`[data-testid=overview-row][data-cloud="${world.cloudB}"]`)).toBeVisible();
  await expect(page.locator(`[data-testid=overview-row][data-cloud="${world.cloudA}"]`)).toHaveCount(0);
  await page.goto(`/compliance?q=${world.cloudA.split('-').pop()}`);
  await axe(page, 'overview');
});

test('a CSP user sees only their own organization on the overview and cannot grant', async ({ page }) => {
  await signIn(page, world.csp.email, world.csp.password);
  await page.goto('/compliance');
  await expect(page.locator(`[data-testid=overview-row][data-cloud="${world.cloudA}"]`)).toBeVisible();
  const body = await page.content();
  for (const c of world.canariesB) expect(body).not.toContain(c);
  await page.goto(`/clouds/${world.cloudA}`);
  await expect(page.getByTestId('status-scs-0116-v1')).toHaveAttribute('data-status', 'PASS');
  await expect(page.getByTestId('grant-certificate')).toHaveCount(0);
  expect((await page.request.get(`/clouds/${world.cloudB}`)).status()).toBe(404);
});

test('cloud page: status with reasons, history strips reachable by keyboard with text on focus, period filter', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1200, height: 900 });
  await signIn(page, reviewer.email, reviewer.password);
  await page.goto(`/clouds/${world.cloudB}`);
  await expect(page.getByTestId('compliance-scs-0116-v1')).toContainText('scs-0116-permissions is MISS');
  await page.goto(`/clouds/${world.cloudA}?period=90d`);
  await expect(page.getByTestId('status-scs-0116-v1')).toHaveAttribute('data-status', 'PASS');
  const history = page.getByTestId('history');
  await expect(history).toContainText('one cell per day');
  const strip = history.getByRole('list', { name: 'History of scs-0116-permissions' });
  // 90 days: missing before the data, PASS, the FAIL, PASS again.
  const segments = strip.getByRole('listitem');
  expect(await segments.count()).toBeGreaterThanOrEqual(3);
  const fail = strip.locator('[aria-label^="FAIL"]');
  await fail.first().focus();
  await expect(fail.first().getByRole('tooltip')).toBeVisible();
  await expect(fail.first().getByRole('tooltip')).toContainText('FAIL');
  await expect(strip).toHaveAttribute('data-days', '90');
  await page.goto(`/clouds/${world.cloudA}`);
  await history.scrollIntoViewIfNeeded();
  await axe(page, 'cloud page');
  await page.goto(`/runs/${runA}`);
  await axe(page, 'run page');
});

test('a new cloud: no data before its creation, one headline status, km-* rows with their verdicts', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const slug = `cloud-new-${uid()}`;
  expect(
    (
      await api(request, world.adminToken, 'POST', '/api/v1/clouds', {
        slug,
        name: `New cloud ${slug}`,
        organization: world.orgA,
        region: 'RegionOne',
        public: false,
      })
    ).status(),
  ).toBe(201);
  // Its first run today: the official testcases and two km-* checks.
  await dbQuery(
    `
    WITH c AS (SELECT id FROM "Cloud" WHERE slug = $1),
    r AS (INSERT INTO "Run" (id, "cloudId", status, trigger, "queuedAt", "startedAt", "finishedAt")
          SELECT gen_random_uuid(), c.id, 'finished', 'manual', now() - interval '2 minutes', now() - interval '2 minutes', now() - interval '1 minute' FROM c
          RETURNING id, "cloudId")
    INSERT INTO "RunResult" (id, "runId", "cloudId", testcase, verdict, message, "durationMs", "checkedAt")
    SELECT gen_random_uuid(), r.id, r."cloudId", t.testcase, t.verdict::"Verdict", 'from e2e', 100, now() - interval '1 minute'
      FROM r CROSS JOIN (VALUES ('scs-0116-presence', 'PASS'), ('scs-0116-permissions', 'PASS'), ('km-tls', 'FAIL'), ('km-version', 'PASS')) t(testcase, verdict)`,
    [slug],
  );
  await signIn(page, reviewer.email, reviewer.password);
  await page.goto(`/clouds/${slug}`);
  // One headline status: the full profile (MISS: no attestation yet), the official verdict beside it.
  await expect(page.getByTestId('headline-status')).toHaveCount(1);
  await expect(page.getByTestId('headline-status')).toHaveAttribute('data-status', 'MISS');
  await expect(page.getByTestId('compliance-scs-0116-v1')).toContainText('key-manager-docs-check is MISS');
  await expect(page.getByTestId('official-status')).toHaveAttribute('data-status', 'PASS');
  await expect(page.getByTestId('cloud-status')).toHaveCount(0);
  // km-* rows show their latest verdict and time.
  const km = page.locator('[data-testid=testcase-row][data-testcase=km-tls]');
  await expect(km.locator('[data-status]')).toHaveAttribute('data-status', 'FAIL');
  await expect(km).toContainText(new Date().toISOString().slice(0, 4));
  await expect(page.locator('[data-testid=testcase-row][data-testcase=km-version] [data-status]')).toHaveAttribute(
    'data-status',
    'PASS',
  );
  // 18 months of history: 547 days without data, then today.
  const strip = page.getByTestId('history').getByRole('list', { name: 'History of scs-0116 v1' });
  await expect(strip.getByRole('listitem')).toHaveCount(2);
  await expect(strip.getByRole('listitem').first()).toHaveAttribute('aria-label', /^no data, .* \(547 days\)$/);
  await expect(page.getByTestId('history')).toContainText('1 of 1 day with data PASS');
  // The history API: null where there is no data, in JSON and (empty) in CSV.
  const h = await (await api(request, world.csp.token, 'GET', `/api/v1/clouds/${slug}/history?format=json`)).json();
  const v1 = h.compliance.find((c: { standard: string }) => c.standard === 'scs-0116-v1');
  expect(v1.days[0]).toEqual({ day: h.from, status: null });
  expect(v1.days.at(-1).status).toBe('MISS');
  expect(v1.daysWithData).toBe(1);
  expect(
    h.testcases.find((t: { testcase: string }) => t.testcase === 'scs-0116-permissions').days[0].verdict,
  ).toBeNull();
  const csv = await (await api(request, world.csp.token, 'GET', `/api/v1/clouds/${slug}/history?format=csv`)).text();
  expect(csv).toContain(`${slug},${h.from},scs-0116-permissions,,0,`);
});

test('the QR code and the embed snippet carry the origin of the request', async ({ request }) => {
  // Behind a trusted proxy (the e2e server runs with TRUST_PROXY=true and no PUBLIC_URL) the
  // proxy's X-Forwarded-Host and -Proto are the request's origin; without them, the Host header.
  const proxied = { 'X-Forwarded-Host': 'status.e2e.example', 'X-Forwarded-Proto': 'https' };
  for (const [headers, origin] of [
    [proxied, 'https://status.e2e.example'],
    [{}, base()],
  ] as const) {
    const html = await (await request.get(`${base()}/status/${world.cloudA}`, { headers })).text();
    expect(html).toContain(`alt="QR code of ${origin}/status/${world.cloudA}"`);
    expect(html).toContain(
      `&lt;a href=&quot;${origin}/status/${world.cloudA}&quot;&gt;&lt;img src=&quot;${origin}/badge/${world.cloudA}.svg&quot;`,
    );
    const svg = await (await request.get(`${base()}/status/${world.cloudA}/qr.svg`, { headers })).text();
    expect(svg).toBe(
      await QRCode.toString(`${origin}/status/${world.cloudA}`, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    );
    const status = await (await request.get(`${base()}/api/v1/status?cloud=${world.cloudA}`, { headers })).json();
    expect([status.statusPage, status.badge]).toEqual([
      `${origin}/status/${world.cloudA}`,
      `${origin}/badge/${world.cloudA}.svg`,
    ]);
  }
});

test.describe('public pages without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the status overview and status page are complete without JavaScript and show no private cloud', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1200, height: 900 });
    const list = await page.goto('/status');
    await expect(page.locator(`[data-testid=public-row][data-cloud="${world.cloudA}"]`)).toBeVisible();
    expect(await page.content()).not.toContain(world.cloudB);
    for (const c of world.canariesB) expect(await page.content()).not.toContain(c);
    await expectPlainHtml(page, list);
    const one = await page.goto(`/status/${world.cloudA}`);
    await expectPlainHtml(page, one);
    await expect(page.getByTestId('public-status-scs-0116-v1')).toHaveAttribute('data-status', 'PASS');
    await expect(page.getByTestId('public-attestation')).toContainText('approved until');
    await expect(page.getByTestId('public-history')).toContainText('scs-0116-permissions');
    await expect(page.getByTestId('public-latest')).toContainText('scs-0116-permissions');
    // The status changes of the period (the FAIL 20 days ago and the PASS after it), not every run.
    await expect(page.getByTestId('public-changes')).toContainText('FAIL');
    await expect(page.locator('[data-testid=public-runs]')).toHaveCount(0);
    await expect(page.getByTestId('public-history').locator('[aria-label^="FAIL"]').first()).toBeAttached();
    // No evidence or details on the public page; no scripts of ours are needed.
    expect(await page.content()).not.toContain('evidence');
    // Private and unknown clouds: the same plain HTML 404, naming nothing.
    for (const slug of [world.cloudB, 'no-such-cloud']) {
      const missing = await page.request.get(`/status/${slug}`);
      expect(missing.status()).toBe(404);
      expect(missing.headers()['content-type']).toBe('text/html; charset=utf-8');
      const body = await missing.text();
      expect(body).toContain('<h1>Not found</h1>');
      expect(body).not.toMatch(/<script/i);
      for (const c of world.canariesB) expect(body).not.toContain(c);
    }
    // The period filter is a plain GET form.
    await page.locator('select[name=period]').selectOption('30d');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(new RegExp(`/status/${world.cloudA}\\?period=30d$`));
    await expect(
      page.getByTestId('public-history').getByRole('list', { name: 'History of scs-0116-permissions' }),
    ).toHaveAttribute('data-days', '30');
  });
});

/** A public page as a plain HTML document: no script element at all, and a policy that allows none. */
async function expectPlainHtml(page: Page, res: Response | null) {
  expect(res?.status()).toBe(200);
  const headers = res!.headers();
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
  expect(headers['content-security-policy']).toContain("script-src 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['cache-control']).toMatch(/^public, max-age=\d+$/);
  expect(await res!.text()).not.toMatch(/<script/i);
  await expect(page.locator('script')).toHaveCount(0);
}

test.describe('public pages in a browser with JavaScript', () => {
  // axe-core is injected as a script, which the pages' Content-Security-Policy (script-src 'none') blocks.
  test.use({ bypassCSP: true });
  test('public status page passes the accessibility check, ships no JavaScript and fits a phone', async ({ page }) => {
    let scripts = 0;
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts++;
    });
    await page.goto(`/status/${world.cloudA}`);
    await page.waitForLoadState('networkidle');
    expect(scripts).toBe(0);
    await axe(page, 'public status page');
    // The history's text shows on keyboard focus (CSS only).
    const fail = page
      .getByTestId('public-history')
      .getByRole('list', { name: 'History of scs-0116-permissions' })
      .locator('[aria-label^="FAIL"]')
      .first();
    await fail.focus();
    await expect(fail.getByRole('tooltip')).toBeVisible();
    await page.goto('/status');
    await axe(page, 'public status list');
    // 375 px wide: nothing but the clouds' table may scroll sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    for (const url of ['/status', `/status/${world.cloudA}`]) {
      await page.goto(url);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), url).toBeLessThanOrEqual(375);
      await axe(page, `${url} at 375 px`);
    }
  });
});

test('badge, QR code and status JSON: public clouds only', async ({ request }) => {
  const badge = await request.get(`${base()}/badge/${world.cloudA}.svg`);
  expect(badge.status()).toBe(200);
  expect(badge.headers()['content-type']).toContain('image/svg+xml');
  expect(badge.headers()['cache-control']).toContain('max-age');
  expect(await badge.text()).toContain('PASS');
  expect((await request.get(`${base()}/badge/${world.cloudB}.svg`)).status()).toBe(404);
  const svg = await request.get(`${base()}/status/${world.cloudA}/qr.svg`);
  expect(svg.headers()['content-type']).toContain('image/svg+xml');
  expect(await svg.text()).toContain('<svg');
  const png = await request.get(`${base()}/status/${world.cloudA}/qr.png`);
  expect(png.headers()['content-type']).toBe('image/png');
  expect((await png.body()).subarray(1, 4).toString()).toBe('PNG');
  expect((await request.get(`${base()}/status/${world.cloudB}/qr.png`)).status()).toBe(404);
  const all = await (await request.get(`${base()}/api/v1/status`)).json();
  expect(all.items.map((i: { cloud: string }) => i.cloud)).toContain(world.cloudA);
  expect(JSON.stringify(all)).not.toContain(world.cloudB);
  const one = await request.get(`${base()}/api/v1/status?cloud=${world.cloudA}`);
  const body = await one.json();
  expect(body.status).toBe('PASS');
  expect(body.statusPage).toBe(`${base()}/status/${world.cloudA}`);
  expect(body.versions.map((v: { standard: string }) => v.standard)).toEqual([
    'scs-compatible-iaas/v5.1',
    'scs-0116-v1',
    'scs-0116-draft',
  ]);
  expect(body.versions.every((v: { status: string }) => ['PASS', 'FAIL', 'MISS', 'DNF'].includes(v.status))).toBe(true);
  expect((await request.get(`${base()}/api/v1/status?cloud=${world.cloudB}`)).status()).toBe(404);
});

test('a reviewer grants a certificate, then revokes it with a reason; the revocation list shows it', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 1200, height: 900 });
  await signIn(page, reviewer.email, reviewer.password);
  // Cloud B is MISS: no grant button, and the API-level rule refuses too.
  await page.goto(`/clouds/${world.cloudB}`);
  await expect(page.getByTestId('grant-certificate')).toHaveCount(0);
  // No pin yet: no grant button, the page says why.
  await page.goto(`/clouds/${world.cloudA}`);
  await expect(page.getByTestId('grant-certificate')).toHaveCount(0);
  await expect(page.getByTestId('certificate-state').locator('..')).toContainText('Pin the certified endpoint');
  // Staff pin the certified endpoint on the edit page (audited); the runs were made against it.
  await page.goto(`/clouds/${world.cloudA}/edit`);
  const pin = page.getByTestId('certified-endpoint');
  await pin.getByLabel('Keystone auth URL').fill('https://Keystone.cloud-a.e2e.example:443/v3/');
  await pin.getByRole('button', { name: 'Pin the certified endpoint' }).click();
  await expect(pin.getByTestId('form-message')).toContainText(
    'https://keystone.cloud-a.e2e.example (region RegionOne)',
  );
  const [pinned] = await dbQuery<{ n: string }>(
    `SELECT count(*) AS n FROM "AuditEvent" WHERE action = 'cloud.pin' AND "targetId" = $1`,
    [world.cloudA],
  );
  expect(Number(pinned.n)).toBe(1);
  await page.goto(`/clouds/${world.cloudA}`);
  await expect(page.getByTestId('cloud-pin')).toContainText('https://keystone.cloud-a.e2e.example');
  await expect(page.getByTestId('status-scs-0116-v1')).toHaveAttribute('data-status', 'PASS');
  await page
    .getByTestId('grant-certificate')
    .getByRole('button', { name: /Grant certificate/ })
    .click();
  // The dialog says what is published and wants the slug typed.
  const grant = page.getByRole('dialog', { name: /Grant .* certificate/ });
  await expect(grant).toContainText(`/status/${world.cloudA}`);
  await expect(grant.getByRole('button', { name: 'Grant and publish' })).toBeDisabled();
  await grant.getByLabel(/Type .* to confirm/).fill(world.cloudA);
  await grant.getByRole('button', { name: 'Grant and publish' }).click();
  await expect(page.getByTestId('certificate-state')).toContainText('valid');
  const [ev] = await dbQuery<{ n: string }>(
    `SELECT count(*) AS n FROM "AuditEvent" WHERE action = 'certificate.grant' AND summary LIKE $1`,
    [`%${world.cloudA}%`],
  );
  expect(Number(ev.n)).toBe(1);
  const badge = await request.get(`${base()}/badge/${world.cloudA}.svg`);
  expect(await badge.text()).toContain('certified');
  await page.getByTestId('certificate-state').scrollIntoViewIfNeeded();
  await page.getByRole('button', { name: 'Revoke certificate' }).click();
  const revoke = page.getByRole('dialog', { name: /Revoke the certificate/ });
  await expect(revoke).toContainText('/certificates/revoked');
  await revoke.getByLabel('Reason for revoking (published)').fill('Operator asked to withdraw the certificate');
  await revoke.getByLabel(/Type .* to confirm/).fill(world.cloudA);
  await revoke.getByRole('button', { name: 'Revoke and publish' }).click();
  await expect(page.getByTestId('certificate-state')).toContainText('revoked');
  await expectPlainHtml(page, await page.goto('/certificates/revoked'));
  await expect(page.getByTestId('revoked-row').filter({ hasText: world.cloudA })).toContainText(
    'Operator asked to withdraw',
  );
  const crl = await (await request.get(`${base()}/api/v1/certificates/revoked`)).json();
  expect(crl.items.some((i: { cloud: { slug: string } | null }) => i.cloud?.slug === world.cloudA)).toBe(true);
  const [rev] = await dbQuery<{ n: string }>(
    `SELECT count(*) AS n FROM "AuditEvent" WHERE action = 'certificate.revoke' AND summary LIKE $1`,
    [`%${world.cloudA}%`],
  );
  expect(Number(rev.n)).toBe(1);
});

test('exports and metrics', async ({ request }) => {
  const csv = await api(request, world.csp.token, 'GET', '/api/v1/compliance?format=csv');
  expect(csv.headers()['content-type']).toContain('text/csv');
  const text = await csv.text();
  expect(text).toContain(world.cloudA);
  expect(text).not.toContain(world.cloudB);
  const md = await api(request, world.adminToken, 'GET', '/api/v1/compliance?format=markdown');
  expect(await md.text()).toContain('| Name | Organization | scs-0116 v1 |');
  const hist = await api(
    request,
    world.csp.token,
    'GET',
    `/api/v1/clouds/${world.cloudA}/history?format=json&period=30d`,
  );
  const h = await hist.json();
  expect(h.testcases[0].days).toHaveLength(30);
  const hcsv = await api(request, world.csp.token, 'GET', `/api/v1/clouds/${world.cloudA}/history?format=csv`);
  expect((await hcsv.text()).split('\r\n')[0]).toBe('cloud,day,testcase,verdict,results,pass,fail,abort,carried,note');
  expect((await api(request, world.csp.token, 'GET', `/api/v1/clouds/${world.cloudB}/history`)).status()).toBe(404);
  const metrics = await api(request, reviewerToken, 'GET', '/api/metrics');
  expect(metrics.status()).toBe(200);
  expect(metrics.headers()['content-type']).toContain('text/plain; version=0.0.4');
  expect(await metrics.text()).toContain(`scs_km_cloud_status{cloud="${world.cloudA}"`);
  expect((await api(request, world.csp.token, 'GET', '/api/metrics')).status()).toBe(403);
  expect((await request.get(`${base()}/api/metrics`)).status()).toBe(401);
  void admin;
});
