// Issue 6 acceptance: a CSP user states how the Master-KEK is protected, uploads evidence and
// signs; a reviewer sees the statement beside the automated results with the mismatches
// highlighted, requests changes; the CSP resubmits; the reviewer approves; the cloud shows the
// manual testcase key-manager-docs-check as PASS; with the server's clock moved past the expiry
// it is MISS, and the 14-day and 1-day reminders were queued. Plus every bad input of the
// issue, refused with a clear message and nothing stored.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test, expect, type Page } from '@playwright/test';
import { adminCli, api, base, dbQuery, makeWorld, signIn, uid, type World } from './support/setup';
import { samplePdf, samplePng } from '../tests/fixtures/attestation-files';

const XSS = `<script>window.__xss=1</script><img src=x onerror="window.__xss=1">`;
const DAY = 86_400_000;

let world: World;
const reviewer = { email: '', password: '' };

/** The server's clock (lib/clock.ts test clock: ALLOW_TEST_CLOCK=true and the e2e data dir). */
function setServerClock(at: Date | null) {
  const file = path.join(process.env.E2E_DATA_DIR!, 'test-clock.json');
  if (at) fs.writeFileSync(file, JSON.stringify({ now: at.toISOString() }));
  else fs.rmSync(file, { force: true });
}

/** What the scheduled job does: queue the reminders due at the (test) clock's now. */
function runReminderJob(): { created: string[] } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/attestation-reminders.ts'], {
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, DATABASE_URL: '', ALLOW_TEST_CLOCK: 'true' },
  });
  if (r.status !== 0) throw new Error(`reminder job failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function counts() {
  const [r] = await dbQuery<{ files: string; blobs: string }>(
    `SELECT (SELECT count(*) FROM "AttestationFile") AS files, (SELECT count(*) FROM "AttestationBlob") AS blobs`,
  );
  return r;
}

async function fillStatement(page: Page, overrides: Record<string, string> = {}) {
  const text = {
    implementationVersion: '2024.1',
    protectionDescription: `The Master-KEK is kept in a PKCS#11 HSM and never leaves it. ${XSS}`,
    contactName: `Ada ${XSS}`,
    contactEmail: 'ops@example.com',
    ...overrides,
  };
  await page.locator('#f-implementation').selectOption('barbican');
  await page.locator('#f-implementationVersion').fill(text.implementationVersion);
  await page.locator('#f-otherProduct').fill(XSS);
  await page.locator('#f-secretStore').selectOption('pkcs11');
  await page.locator('#f-secretStoreOther').fill(XSS);
  await page.locator('#f-kekLocation').selectOption('hsm');
  await page.locator('#f-kekPlaintextOnHost').selectOption('no');
  await page.locator('#f-keysEncrypted').selectOption('yes');
  await page.locator('#f-kekStoredApart').selectOption('yes');
  await page.locator('#f-rbac').selectOption('creator_mapped');
  await page.locator('#f-protectionDescription').fill(text.protectionDescription);
  await page.locator('#f-validFrom').fill('2026-10-01');
  await page.locator('#f-contactName').fill(text.contactName);
  await page.locator('#f-contactEmail').fill(text.contactEmail);
}

async function upload(page: Page, name: string, buffer: Buffer, mimeType: string) {
  await page.getByLabel('Add evidence files').setInputFiles({ name, mimeType, buffer });
  const message = page.getByTestId('upload-message').filter({ hasText: `"${name}"` });
  await expect(message).toBeVisible();
  return (await message.textContent()) ?? '';
}

test.beforeAll(async ({ request }) => {
  world = await makeWorld(request);
  reviewer.email = `reviewer-${uid()}@e2e.example`;
  reviewer.password = `pw-${uid()}-${uid()}`;
  adminCli(['create-user', reviewer.email, '--role', 'reviewer', '--password-stdin'], reviewer.password);
  // The cloud's latest automated results: simple_crypto as global default, permissions FAIL.
  const [cloud] = await dbQuery<{ id: string }>('SELECT id FROM "Cloud" WHERE slug = $1', [world.cloudA]);
  const [run] = await dbQuery<{ id: string }>(
    `INSERT INTO "Run" ("id","cloudId","status","trigger","finishedAt") VALUES (gen_random_uuid(), $1, 'finished', 'manual', now()) RETURNING id`,
    [cloud.id],
  );
  await dbQuery(
    `INSERT INTO "RunResult" ("id","runId","cloudId","testcase","verdict","message","details","durationMs","checkedAt") VALUES
     (gen_random_uuid(), $1, $2, 'km-backend', 'FAIL', 'The global default secret store "Software Only" uses simple_crypto.', $3::jsonb, 12, now()),
     (gen_random_uuid(), $1, $2, 'scs-0116-permissions', 'FAIL', 'Barbican refused to create a secret for a member of the project (HTTP 403).', '{}'::jsonb, 40, now())`,
    [
      run.id,
      cloud.id,
      JSON.stringify({
        backend: 'simple_crypto',
        globalDefault: { name: 'Software Only', cryptoPlugin: 'simple_crypto', globalDefault: true },
      }),
    ],
  );
});

test.afterAll(() => setServerClock(null));

test('CSP attests, reviewer requests changes, CSP resubmits, reviewer approves; expiry makes it MISS after two reminders', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const csp = await (await browser.newContext()).newPage();
  await signIn(csp, world.csp.email, world.csp.password);
  await csp.goto(`/clouds/${world.cloudA}`);
  await expect(csp.getByTestId('manual-result').getByTestId('verdict')).toHaveAttribute('data-verdict', 'MISS');

  // 1. Statement: every text field carries HTML and script; drafts save as you go.
  await csp.goto(`/clouds/${world.cloudA}/attestations`);
  await csp.getByRole('button', { name: 'Start the attestation' }).click();
  await csp.waitForURL(/\/attestations\/[0-9a-f-]{36}$/);
  const attestationUrl = csp.url();
  const id = attestationUrl.split('/').pop()!;
  await expect(csp.getByTestId('clause-rbac')).toContainText('creator role');
  await fillStatement(csp);
  await expect(csp.getByTestId('autosave')).toContainText('Draft saved');

  // 2. Evidence: a PDF and a PNG, with progress and their SHA-256 shown.
  expect(await upload(csp, 'hsm-policy.pdf', samplePdf('HSM policy'), 'application/pdf')).toContain(
    'Uploaded "hsm-policy.pdf"',
  );
  expect(await upload(csp, 'hsm-rack.png', samplePng(8, 8), 'image/png')).toContain('Uploaded "hsm-rack.png"');
  await expect(csp.getByTestId('evidence-file')).toHaveCount(2);
  await expect(csp.getByTestId('sha256').first()).toHaveText(/^[0-9a-f]{64}$/);

  // 3. Signature.
  await csp.getByLabel(/I confirm that this statement/).check();
  await csp.getByLabel('Your full name (signature)').fill('Ada Lovelace');
  await csp.getByRole('button', { name: 'Sign and submit for review' }).click();
  await expect(csp.getByTestId('attestation-state')).toHaveAttribute('data-state', 'submitted');
  await expect(csp.getByTestId('signature')).toContainText('signed by Ada Lovelace');
  await expect(csp.getByTestId('digest')).toHaveText(/^[0-9a-f]{64}$/);
  // Inert: the typed markup is shown as text and never ran.
  await expect(csp.getByTestId('statement-view')).toContainText('<script>window.__xss=1</script>');
  expect(await csp.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await expect(csp.getByTestId('statement-form')).toHaveCount(0);

  // 4. Review: the queue, the side-by-side view with the mismatches, a request for changes.
  const rev = await (await browser.newContext()).newPage();
  await signIn(rev, reviewer.email, reviewer.password);
  await rev.goto('/attestations');
  await rev.locator(`a[href="/attestations/${id}/review"]`).click();
  await expect(rev).toHaveURL(new RegExp(`/attestations/${id}/review$`));
  const backendFinding = rev.locator('[data-testid=finding][data-rule=backend-simple-crypto]');
  await expect(backendFinding).toHaveAttribute('data-severity', 'mismatch');
  await expect(backendFinding).toContainText('simple_crypto');
  await expect(rev.locator('[data-testid=finding][data-rule=rbac-permissions-fail]')).toHaveAttribute(
    'data-severity',
    'mismatch',
  );
  await expect(rev.locator('[data-field=secretStore]')).toHaveAttribute('data-highlight', 'mismatch');
  await expect(rev.locator('[data-field=rbac]')).toHaveAttribute('data-highlight', 'mismatch');
  await expect(rev.locator('[data-testid=automated-result][data-testcase=km-backend]')).toHaveAttribute(
    'data-flagged',
    'true',
  );
  expect(await rev.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await rev.getByLabel('Request changes').check();
  await rev.getByRole('button', { name: 'Record decision' }).click();
  await expect(rev.getByTestId('form-message')).toContainText('Some fields need attention');
  await rev
    .getByLabel('Comment (shown to the CSP)')
    .fill(
      'Barbican reports simple_crypto: explain how the Master-KEK is protected, or switch the global default to the HSM store.',
    );
  await rev.getByRole('button', { name: 'Record decision' }).click();
  await expect(rev.getByTestId('attestation-state')).toHaveAttribute('data-state', 'changes_requested');

  // 5. The CSP sees the comment, changes the answer and resubmits.
  await csp.goto(attestationUrl);
  await expect(csp.getByTestId('changes-requested')).toContainText('switch the global default to the HSM store');
  await csp
    .locator('#f-protectionDescription')
    .fill(
      'The global default store is now the PKCS#11 HSM store; the simple_crypto store is kept for old secrets only.',
    );
  await expect(csp.getByTestId('autosave')).toContainText('Draft saved');
  await csp.getByLabel(/I confirm that this statement/).check();
  await csp.getByLabel('Your full name (signature)').fill('Ada Lovelace');
  await csp.getByRole('button', { name: 'Sign and submit for review' }).click();
  await expect(csp.getByTestId('signature')).toHaveCount(2);

  // 6. Approval.
  await rev.goto(`/attestations/${id}/review`);
  await rev.getByLabel('Approve').check();
  await rev.getByLabel('Comment (shown to the CSP)').fill('Evidence and explanation accepted.');
  await rev.getByRole('button', { name: 'Record decision' }).click();
  await expect(rev.getByTestId('attestation-state')).toHaveAttribute('data-state', 'approved');

  // 7. The cloud shows the manual testcase PASS.
  await csp.goto(`/clouds/${world.cloudA}`);
  await expect(csp.getByTestId('manual-result').getByTestId('verdict')).toHaveAttribute('data-verdict', 'PASS');

  // An approved revision cannot be changed through the UI or the API.
  await csp.goto(attestationUrl);
  await expect(csp.getByTestId('approval')).toBeVisible();
  await expect(csp.getByTestId('statement-form')).toHaveCount(0);
  await expect(csp.getByTestId('file-upload')).toHaveCount(0);
  const patch = await api(csp.request, world.csp.token, 'PATCH', `/api/v1/attestations/${id}`, {
    contactName: 'changed',
  });
  expect(patch.status()).toBe(409);
  const late = await csp.request.fetch(`${base()}/api/v1/attestations/${id}/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${world.csp.token}` },
    multipart: { file: { name: 'late.txt', mimeType: 'text/plain', buffer: Buffer.from('late') } },
  });
  expect(late.status()).toBe(409);

  // 8. The clock moves: 14 days and 1 day before expiry the job queues a reminder each; after
  //    expiry the testcase is MISS.
  const [{ expiresAt }] = await dbQuery<{ expiresAt: Date }>('SELECT "expiresAt" FROM "Attestation" WHERE id = $1', [
    id,
  ]);
  const exp = new Date(expiresAt).getTime();
  setServerClock(new Date(exp - 14 * DAY + 60_000));
  expect(runReminderJob().created).toContain(`attestation:${id}:expiry-14d`);
  expect(runReminderJob().created).not.toContain(`attestation:${id}:expiry-14d`);
  setServerClock(new Date(exp - DAY + 60_000));
  expect(runReminderJob().created).toContain(`attestation:${id}:expiry-1d`);
  setServerClock(new Date(exp + 60_000));
  expect(runReminderJob().created.filter((k) => k.includes(id))).toEqual([]);
  await csp.goto(`/clouds/${world.cloudA}`);
  await expect(csp.getByTestId('manual-result').getByTestId('verdict')).toHaveAttribute('data-verdict', 'MISS');
  await csp.goto(attestationUrl);
  await expect(csp.getByTestId('reminder')).toHaveCount(2);
  await expect(csp.getByTestId('reminder').first()).toContainText('expires in 14 days');
  await expect(csp.getByTestId('reminder').last()).toContainText('expires in 1 day');
  // Queued once each in the one outbox, addressed to the organization; the workers' dispatcher sends them.
  const sent = await dbQuery<{ subject: string; status: string }>(
    `SELECT n.subject, n.status::text AS status FROM "Notification" n JOIN "Cloud" c ON c.id = n."cloudId"
      WHERE n.kind = 'attestation-expiry' AND c.slug = $1 AND n."dedupeKey" LIKE $2 ORDER BY n."createdAt"`,
    [world.cloudA, `attestation:${id}:expiry-%`],
  );
  expect(sent.map((n) => n.subject)).toEqual([
    expect.stringContaining('expires in 14 days'),
    expect.stringContaining('expires in 1 day'),
  ]);
  // This app runs without workers (WORKERS=off): nothing dispatches them, and the page says so.
  expect(sent.map((n) => n.status)).toEqual(['queued', 'queued']);
  await expect(csp.getByTestId('reminder').first().getByTestId('notification-outcome')).toHaveText('(queued)');
  setServerClock(null);
});

test('bad evidence is refused with a clear message and nothing is stored; other organizations see 404', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const slug = `cloud-bad-${uid()}`;
  expect(
    (
      await api(request, world.adminToken, 'POST', '/api/v1/clouds', {
        slug,
        name: `Bad input ${slug}`,
        organization: world.orgA,
        region: 'RegionOne',
        public: false,
      })
    ).status(),
  ).toBe(201);
  await signIn(page, world.csp.email, world.csp.password);
  await page.goto(`/clouds/${slug}/attestations`);
  await page.getByRole('button', { name: 'Start the attestation' }).click();
  await page.waitForURL(/\/attestations\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;
  const before = await counts();

  // In the browser: a lying extension and an empty file.
  expect(await upload(page, 'policy.pdf', samplePng(), 'application/pdf')).toMatch(
    /"policy.pdf" was not stored: .*named \.pdf, but its content is a PNG image/,
  );
  expect(await upload(page, 'empty.txt', Buffer.alloc(0), 'text/plain')).toMatch(
    /was not stored: "empty.txt" is empty/,
  );
  // Through the API: path traversal in the name, over the size limit.
  const post = (name: string, buffer: Buffer) =>
    page.request.fetch(`${base()}/api/v1/attestations/${id}/files`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${world.csp.token}` },
      multipart: { file: { name: 'x.txt', mimeType: 'text/plain', buffer }, filename: name },
    });
  const traversal = await post('../../etc/passwd.txt', Buffer.from('root:x:0:0'));
  expect(traversal.status()).toBe(422);
  expect((await traversal.json()).error.message).toMatch(/contains a path/);
  const big = await post('big.txt', Buffer.alloc(20 * 1024 * 1024 + 1, 0x61));
  expect(big.status()).toBe(422);
  expect((await big.json()).error.message).toMatch(/limit of 20\.0 MiB/);
  expect(await counts()).toEqual(before);

  // Ten files fit; the 11th is refused.
  for (let i = 1; i <= 10; i++)
    expect((await post(`note-${i}.txt`, Buffer.from(`evidence ${i} ${uid()}\n`))).status()).toBe(201);
  const mid = await counts();
  const eleventh = await post('note-11.txt', Buffer.from(`evidence 11 ${uid()}\n`));
  expect(eleventh.status()).toBe(422);
  expect((await eleventh.json()).error.message).toMatch(/at most 10 files/);
  expect(await counts()).toEqual(mid);

  // A download is an attachment with a safe type; altered bytes are refused.
  const files = (await (
    await api(page.request, world.csp.token, 'GET', `/api/v1/attestations/${id}/files`)
  ).json()) as { id: string; sha256: string }[];
  const dl = await api(page.request, world.csp.token, 'GET', `/api/v1/attestations/${id}/files/${files[0].id}`);
  expect(dl.status()).toBe(200);
  expect(dl.headers()['content-disposition']).toMatch(/^attachment; filename="note-1\.txt"/);
  expect(dl.headers()['content-type']).toBe('text/plain; charset=utf-8');
  expect(dl.headers()['x-content-type-options']).toBe('nosniff');
  await dbQuery(
    `BEGIN; SET LOCAL session_replication_role = replica; UPDATE "AttestationBlob" SET "content" = convert_to('tampered', 'UTF8') WHERE "sha256" = '${files[0].sha256}'; COMMIT;`,
  );
  const tampered = await api(page.request, world.csp.token, 'GET', `/api/v1/attestations/${id}/files/${files[0].id}`);
  expect(tampered.status()).toBe(500);
  expect((await tampered.json()).error.code).toBe('integrity_error');

  // A CSP user of another organization: 404 for the page, the API and the files.
  const other = await (await page.context().browser()!.newContext()).newPage();
  await signIn(other, world.cspB.email, world.csp.password);
  expect((await other.goto(`/attestations/${id}`))!.status()).toBe(404);
  expect((await other.request.get(`${base()}/api/v1/attestations/${id}`)).status()).toBe(404);
  expect((await other.request.get(`${base()}/api/v1/attestations/${id}/files/${files[1].id}`)).status()).toBe(404);
  expect(
    (
      await other.request.fetch(`${base()}/api/v1/attestations/${id}`, {
        method: 'PATCH',
        data: { contactName: 'x' },
        headers: { Origin: base() },
      })
    ).status(),
  ).toBe(404);
});
