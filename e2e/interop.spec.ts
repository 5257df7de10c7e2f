// Issue 13 in the browser: a CSP user registers a report-signing key, a signed runner report shows as a run
// "official runner, signed", staff set forwarding to a compliance monitor; keyboard-usable and axe-clean at
// 1280 and 390 px (screenshots in test-results/ to look at).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { admin, api, base, makeWorld, signIn, type World } from './support/setup';
import { axe } from './support/axe';
import { ed25519Blob, signEd25519 } from '../lib/interop/sshsig';

let world: World;
const key = crypto.generateKeyPairSync('ed25519');
const publicLine = `ssh-ed25519 ${ed25519Blob(key.publicKey).toString('base64')} runner@e2e`;
const API_KEY = 'e2e-monitor-api-key-canary-91c2';

test.beforeAll(async ({ request }) => {
  world = await makeWorld(request);
});

async function both(page: Page, name: string) {
  for (const [w, h] of [
    [1280, 900],
    [390, 844],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await axe(page, `${name} at ${w} px`);
    await page.screenshot({ path: `test-results/interop-${name}-${w}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('a CSP user registers a report-signing key on the organization page; a weak key is refused beside its field', async ({
  page,
}) => {
  await signIn(page, world.csp.email, world.csp.password);
  await page.goto(`/organizations/${world.orgA}`);
  await expect(
    page.getByText("No keys yet: uploaded reports of this organization's clouds are refused."),
  ).toBeVisible();
  await page.getByLabel('Key name').fill('weak');
  await page
    .getByLabel('Public key')
    .fill(
      `ssh-rsa ${Buffer.from('\0\0\0\x07ssh-rsa\0\0\0\x01\x01\0\0\0\x81\0' + 'a'.repeat(128), 'latin1').toString('base64')} x`,
    );
  await page.getByRole('button', { name: 'Register key' }).click();
  await expect(page.getByText(/a 1023-bit RSA key; RSA keys need at least 3072 bits/)).toBeVisible();
  await expect(page.getByLabel('Key name')).toHaveValue('weak');
  await page.getByLabel('Key name').fill('zuul');
  await page.getByLabel('Public key').fill(publicLine);
  await page.getByRole('button', { name: 'Register key' }).click();
  await expect(page.getByTestId('key-zuul')).toContainText('ssh-ed25519 · 256 bits');
  await expect(page.getByTestId('key-zuul')).toContainText('SHA256:');
  await both(page, 'organization-keys');
});

test('a signed runner report becomes a run "official runner, signed" with its signed download', async ({
  page,
  request,
}) => {
  const at = new Date(Date.now() - 60_000).toISOString();
  const report = `---
spec:
  uuid: 50393e6f-2ae1-4c5c-a62c-3b75f2abef3f
  name: SCS-compatible IaaS
  url: https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/scs-compatible-iaas.yaml
checked_at: ${at.slice(0, 10)} ${at.slice(11, 19)}
reference_date: ${at.slice(0, 10)}
subject: ${world.cloudA}
run:
  uuid: ${crypto.randomUUID()}
  invocations:
    ${crypto.randomUUID()}:
      cmd: ./iaas/openstack_test.py -c prod scs-0116-permissions
      results:
        scs-0116-permissions: -1
      rc: 0
      stderr:
      - 'ERROR: Unsuccessful at using Key Manager API'
`;
  const body = `${signEd25519(Buffer.from(report), key.privateKey, 'report')}&${report}`;
  const res = await request.fetch(`${base()}/reports`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-signed-yaml',
      Authorization: `Basic ${Buffer.from(`${world.cloudA}:${world.csp.token}`).toString('base64')}`,
    },
    data: body,
  });
  expect(res.status(), await res.text()).toBe(200);
  const { runs } = await res.json();
  await signIn(page, world.csp.email, world.csp.password);
  await page.goto(`/clouds/${world.cloudA}`);
  await expect(page.getByTestId('scs-subject')).toHaveText(world.cloudA);
  await expect(page.getByTestId('recent-runs')).toContainText('official runner, signed');
  await page.goto(`/runs/${runs[0].id}`);
  await expect(page.getByText(/official SCS runner, signed report/)).toBeVisible();
  await expect(page.getByTestId('result-scs-0116-permissions')).toContainText('Unsuccessful at using Key Manager API');
  const signed = await page.getByRole('link', { name: 'Signed report' }).getAttribute('href');
  const dl = await api(request, world.csp.token, 'GET', signed!);
  expect(await dl.text()).toBe(body);
  await both(page, 'imported-run');
});

test('staff set forwarding to a compliance monitor; the API key is never shown again; the log pages', async ({
  page,
}) => {
  await signIn(page, admin().email, admin().password);
  await page.goto(`/clouds/${world.cloudA}`);
  await page.getByRole('link', { name: 'Forwarding to an SCS compliance monitor' }).click();
  await expect(page.getByText("Not forwarded: this cloud's results stay in this dashboard.")).toBeVisible();
  await page.getByLabel('Compliance monitor URL').fill('not a url');
  await page.getByRole('button', { name: 'Save forwarding' }).click();
  await expect(page.getByText(/The monitor URL, e.g./)).toBeVisible();
  // What was typed stays, except the key.
  await expect(page.getByLabel('Compliance monitor URL')).toHaveValue('not a url');
  await page.getByLabel('Compliance monitor URL').fill('https://monitor.e2e.example/');
  await page.getByLabel('API key').fill(API_KEY);
  await page.getByRole('button', { name: 'Save forwarding' }).click();
  await expect(page.getByTestId('forwarding')).toContainText('https://monitor.e2e.example/');
  await expect(page.getByTestId('forwarding')).toContainText(
    `…${crypto.createHash('sha256').update(API_KEY).digest('hex').slice(-4)}`,
  );
  expect(await page.content()).not.toContain(API_KEY);
  await both(page, 'forwarding');
  await page.goto('/admin/deliveries');
  await page.getByRole('link', { name: 'Forwarding log' }).click();
  await expect(page.getByRole('heading', { name: 'Forwarding log' })).toBeVisible();
  await both(page, 'forwarding-log');
  // A CSP user of the cloud sees where its results go, without a form.
  const ctx = await page.context().browser()!.newContext();
  const csp = await ctx.newPage();
  await signIn(csp, world.csp.email, world.csp.password);
  await csp.goto(`/clouds/${world.cloudA}/forwarding`);
  await expect(csp.getByTestId('forwarding')).toContainText('https://monitor.e2e.example/');
  await expect(csp.getByRole('button', { name: 'Save forwarding' })).toHaveCount(0);
  await ctx.close();
  expect(fs.existsSync('test-results')).toBe(true);
});
