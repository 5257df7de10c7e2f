// Issue 13 in the browser: a CSP user registers a report-signing key, a signed runner report shows as a run
// "official runner, signed" that does not count until staff approve the key, staff approve and withdraw the
// approval, staff set forwarding to a compliance monitor; keyboard-usable and axe-clean at 1280 and 390 px
// (screenshots in test-results/ to look at).
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
  // The CSP's own key is not approved; the CSP sees that, and no approval button.
  await expect(page.getByTestId('key-zuul')).toContainText('Not approved: its reports are kept but do not count.');
  await expect(page.getByTestId('key-zuul').getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await both(page, 'organization-keys');
  // At 390 px the key table fits: nothing scrolls sideways and Remove is in view.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const remove = await page.getByTestId('key-zuul').getByRole('button', { name: 'Remove' }).boundingBox();
  expect(remove!.x + remove!.width).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
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
  // Signed with the CSP's own key, which staff have not approved: kept and shown, not counted.
  await expect(page.getByTestId('run-not-counted')).toContainText(
    'Imported from a report signed with key "zuul" (SHA256:',
  );
  await expect(page.getByTestId('run-not-counted')).toContainText('which the certification body has not approved');
  await expect(page.getByTestId('run-signed-by')).toHaveText('key zuul (not approved)');
  // The reason names the key's fingerprint, one long word: at 390 px it wraps, nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });
  const signed = await page.getByRole('link', { name: 'Signed report' }).getAttribute('href');
  const dl = await api(request, world.csp.token, 'GET', signed!);
  expect(await dl.text()).toBe(body);
  await both(page, 'imported-run');
});

test('staff approve a key (the imported run then counts) and withdraw the approval; the CSP sees the state, no buttons', async ({
  page,
  request,
}) => {
  await signIn(page, admin().email, admin().password);
  await page.goto(`/organizations/${world.orgA}`);
  const row = page.getByTestId('key-zuul');
  await expect(row).toContainText('Not approved');
  await row.getByRole('button', { name: 'Approve' }).click();
  const approve = page.getByRole('dialog', { name: 'Approve key "zuul"?' });
  await expect(approve).toContainText('SHA256:');
  await both(page, 'key-approve-dialog');
  await approve.getByRole('button', { name: 'Approve' }).click();
  await expect(row).toContainText(`Approved by ${admin().email} on`);
  await expect(row.getByRole('button', { name: 'Withdraw approval' })).toBeVisible();
  await both(page, 'organization-keys-staff');
  // The imported run counts now, everywhere: its page has no "does not count" note.
  const runs = await (await api(request, world.adminToken, 'GET', `/api/v1/clouds/${world.cloudA}/runs`)).json();
  const imported = runs.items.find((r: { source: string }) => r.source === 'official-runner');
  await page.goto(`/runs/${imported.id}`);
  await expect(page.getByText(/official SCS runner, signed report/)).toBeVisible();
  await expect(page.getByTestId('run-signed-by')).toHaveText('key zuul (approved)');
  await expect(page.getByTestId('run-not-counted')).toHaveCount(0);

  // The CSP sees the approval, and may neither withdraw it nor remove the approved key.
  const ctx = await page.context().browser()!.newContext();
  const csp = await ctx.newPage();
  await signIn(csp, world.csp.email, world.csp.password);
  await csp.goto(`/organizations/${world.orgA}`);
  const cspRow = csp.getByTestId('key-zuul');
  await expect(cspRow).toContainText(`Approved by ${admin().email} on`);
  await expect(cspRow.getByRole('button')).toHaveCount(0);
  await expect(cspRow).toContainText('Only certification staff can remove an approved key.');
  await both(csp, 'organization-keys-csp-approved');
  await ctx.close();

  // Withdrawing asks first and says what it does.
  await page.goto(`/organizations/${world.orgA}`);
  await row.getByRole('button', { name: 'Withdraw approval' }).click();
  const withdraw = page.getByRole('dialog', { name: 'Withdraw the approval of "zuul"?' });
  await expect(withdraw).toContainText('stop counting toward verdicts and certificates at once');
  await withdraw.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toContainText('Approved by');
  await row.getByRole('button', { name: 'Withdraw approval' }).click();
  await withdraw.getByRole('button', { name: 'Withdraw approval' }).click();
  await expect(row).toContainText('Not approved: its reports are kept but do not count.');
  await page.goto(`/runs/${imported.id}`);
  await expect(page.getByTestId('run-not-counted')).toContainText('which the certification body has not approved');
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
