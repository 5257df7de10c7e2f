// Notifications in the browser on an instance without e-mail (no SMTP_URL, as most first starts):
// the settings page and the delivery log say so, staff add webhooks for chosen events, a worker
// process (the real startWorker, tests/integration/support/worker-child.ts) dispatches a message,
// and the log shows each delivery: delivered, queued for a retry with the receiver's answer, and
// e-mail not sent with its reason. axe at 1280 and 390 px.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { test, expect, type Page } from '@playwright/test';
import { axe } from './support/axe';
import { admin, dbQuery, makeWorld, signIn, startWorkerProcess, uid, type World } from './support/setup';

let world: World;
let worker: { stop(): Promise<void> } | undefined;
let receiver: http.Server;
let hookUrl = '';
const received: Array<{ path: string; id: string; signature: string; legacy: string }> = [];
const contact = `ops-${uid()}@csp.example`;

const shots = path.join('test-results', 'notifications');
async function atBothWidths(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await axe(page, `${name} at ${width} px`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(wide, `${name} scrolls sideways at ${width} px`).toBe(false);
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.beforeAll(async ({ request }) => {
  world = await makeWorld(request);
  await dbQuery(`UPDATE "Organization" SET "contactEmails" = ARRAY[$1] WHERE slug = $2`, [contact, world.orgA]);
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        id: String(req.headers['webhook-id'] ?? ''),
        signature: String(req.headers['webhook-signature'] ?? ''),
        legacy: String(req.headers['x-scs-signature'] ?? ''),
      });
      res.writeHead(req.url === '/fail' ? 500 : 204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await worker?.stop();
  await new Promise<void>((r) => receiver?.close(() => r()));
});

async function startWorker() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-e2e-cfg-'));
  const file = path.join(dir, 'configs.json');
  fs.writeFileSync(file, '{}', { mode: 0o600 });
  worker = await startWorkerProcess('tests/integration/support/worker-child.ts', {
    // The app's vault (its file KEK), to open the webhook secrets it sealed.
    DATA_DIR: process.env.E2E_DATA_DIR!,
    RUNS_CONFIG_FILE: file,
    WORKER_CONCURRENCY: '1',
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
    NOTIFY_POLL_MS: '200',
    // One failed attempt, then a long wait: the log shows the next attempt.
    NOTIFY_RETRY_DELAY_S: '3600',
    // No e-mail, whatever the runner's environment says.
    SMTP_URL: '',
  });
}

test('without e-mail: the pages say so, webhooks deliver, the log tells what became of each message', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, admin().email, admin().password);

  // Settings: the missing e-mail is named, with what to set (staff see the variable).
  await page.goto('/settings/notifications');
  const notice = page.getByTestId('email-not-configured');
  await expect(notice).toContainText('E-mail is not configured on this instance');
  await expect(notice).toContainText('SMTP_URL');
  await expect(page.getByLabel('E-mail me when an attestation is reviewed')).toBeVisible();

  // Two webhooks for the organization: one for status changes and reviews only, one that fails.
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add webhook' }) });
  await form.getByLabel('Clouds of').selectOption(world.orgA);
  await form.getByLabel('Receiver URL').fill(`${hookUrl}/ok`);
  await form.getByRole('checkbox', { name: /Attestation expiry/ }).uncheck();
  await form.getByRole('checkbox', { name: /Certificate expiry/ }).uncheck();
  await form.getByRole('button', { name: 'Add webhook' }).click();
  await expect(page.getByTestId('webhook-secret')).toContainText('whsec_');
  const hooks = page.getByTestId('webhooks');
  await expect(hooks.locator('li').filter({ hasText: `${hookUrl}/ok` })).toContainText(
    'status changes, attestation reviews',
  );
  // Nothing ticked: refused beside the field, what was typed kept.
  await form.getByLabel('Clouds of').selectOption(world.orgA);
  await form.getByLabel('Receiver URL').fill(`${hookUrl}/fail`);
  for (const box of await form.getByRole('checkbox').all()) await box.uncheck();
  await form.getByRole('button', { name: 'Add webhook' }).click();
  await expect(form.getByText('Choose at least one event.')).toBeVisible();
  await expect(form.getByLabel('Receiver URL')).toHaveValue(`${hookUrl}/fail`);
  await form.getByRole('checkbox', { name: /Status changes/ }).check();
  await form.getByRole('button', { name: 'Add webhook' }).click();
  await expect(hooks.locator('li').filter({ hasText: `${hookUrl}/fail` })).toContainText('status changes');
  await atBothWidths(page, 'settings-staff');

  // A status change of the organization's cloud, dispatched by a worker process without SMTP_URL.
  const key = `e2e:${uid()}`;
  await dbQuery(
    `INSERT INTO "Notification" (id, kind, "organizationId", "cloudId", subject, body, "dedupeKey")
     SELECT gen_random_uuid(), 'status-change', o.id, c.id, $1, 'The status is now FAIL.', $2
     FROM "Organization" o JOIN "Cloud" c ON c."organizationId" = o.id WHERE o.slug = $3 AND c.slug = $4`,
    [`${world.cloudA}: status PASS -> FAIL`, key, world.orgA, world.cloudA],
  );
  await startWorker();
  await expect
    .poll(
      async () =>
        (
          await dbQuery<{ status: string; target: string }>(
            `SELECT d.status::text AS status, d.target FROM "NotificationDelivery" d
             JOIN "Notification" n ON n.id = d."notificationId" WHERE n."dedupeKey" = $1 ORDER BY d.target`,
            [key],
          )
        ).map((d) => `${d.target} ${d.status}`),
      { timeout: 60_000 },
    )
    .toEqual(expect.arrayContaining([`${hookUrl}/ok delivered`, `${hookUrl}/fail pending`, `${contact} held`]));
  const ok = received.filter((r) => r.path === '/ok');
  expect(ok).toHaveLength(1);
  expect(ok[0]!.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  expect(ok[0]!.legacy).toMatch(/^sha256=[0-9a-f]{64}$/);

  await page.goto('/admin/deliveries');
  await expect(page.getByTestId('email-not-configured')).toContainText('SMTP_URL');
  const rows = page.getByTestId('delivery');
  const row = (target: string) => rows.filter({ hasText: target });
  await expect(row(`${hookUrl}/ok`)).toContainText('delivered');
  await expect(row(`${hookUrl}/fail`)).toContainText('queued');
  await expect(row(`${hookUrl}/fail`)).toContainText('next attempt');
  await expect(row(`${hookUrl}/fail`)).toContainText('the receiver answered 500');
  await expect(row(contact)).toContainText('not sent');
  await expect(row(contact).getByTestId('delivery-reason')).toHaveText(
    'not sent: e-mail is not configured (SMTP_URL is not set); kept for 24 h in case it is',
  );
  await row(`${hookUrl}/fail`).locator('summary').click();
  await expect(row(`${hookUrl}/fail`)).toContainText('failed · 500');
  await atBothWidths(page, 'deliveries');
  await page.getByRole('navigation', { name: 'Status' }).getByRole('link', { name: 'Not sent' }).click();
  await expect(page).toHaveURL(/status=not-sent/);
  await expect(row(contact)).toBeVisible();
  await expect(row(`${hookUrl}/ok`)).toHaveCount(0);

  // A CSP user: the notice without operator details; preferences are kept for when e-mail works.
  const csp = await page.context().browser()!.newPage();
  await signIn(csp, world.csp.email, world.csp.password);
  await csp.goto('/settings/notifications');
  await expect(csp.getByTestId('email-not-configured')).toContainText('once the operator of this instance');
  await expect(csp.getByTestId('email-not-configured')).not.toContainText('SMTP_URL');
  await csp.getByLabel('E-mail me when an attestation is reviewed').uncheck();
  await csp.getByRole('button', { name: 'Save preferences' }).click();
  await expect(csp.getByTestId('form-message')).toContainText('Preferences saved.');
  await csp.reload();
  await expect(csp.getByLabel('E-mail me when an attestation is reviewed')).not.toBeChecked();
  await expect(csp.getByLabel("E-mail me when a cloud's status changes")).toBeChecked();
  await atBothWidths(csp, 'settings-csp');
  await csp.close();
});
