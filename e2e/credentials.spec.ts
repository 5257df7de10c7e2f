// Issue 4's end-to-end acceptance: a CSP user imports a clouds.yaml entry for its cloud and sees
// only the write-only view; a user of another organization can neither see nor replace it.
import { test, expect } from '@playwright/test';
import { adminCli, api, makeWorld, signIn, type World } from './support/setup';

let world: World;
test.beforeAll(async ({ request }) => {
  world = await makeWorld(request);
});

const SECRET = 'canary-appcred-secret-7f3a9c1e5b';
const cloudsYaml = (id: string) => `clouds:
  acme-prod:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.acme.example:5000/v3
      application_credential_id: ${id}
      application_credential_secret: ${SECRET}
    region_name: RegionOne
    interface: public
    identity_api_version: 3
`;

test('a CSP user imports clouds.yaml for its cloud and sees only the write-only view', async ({ page, request }) => {
  await signIn(page, world.csp.email, world.csp.password);
  await page.goto(`/clouds/${world.cloudA}/credential`);
  await page.getByLabel('clouds.yaml', { exact: true }).fill(cloudsYaml('e2e-appcred-id-1'));
  await page
    .getByRole('button', { name: /^Save & test the / })
    .first()
    .click();
  await expect(page.getByText('e2e-appcred-id-1')).toBeVisible();
  await expect(page.getByText('Application credential', { exact: true })).toBeVisible();
  await expect(page.getByText('https://keystone.acme.example:5000/v3', { exact: true })).toBeVisible();
  // Saving tested it at once; the host does not exist, and the page says so before any run.
  await expect(page.getByTestId('saved-banner')).toContainText('the connection test failed');
  expect(await page.content()).not.toContain(SECRET);

  const view = await api(request, world.csp.token, 'GET', `/api/v1/clouds/${world.cloudA}/credential`);
  expect(view.status()).toBe(200);
  const body = await view.text();
  expect(body).toContain('e2e-appcred-id-1');
  expect(body).not.toContain(SECRET);
  expect(body).toMatch(/"fingerprint":"[0-9a-f]{4}"/);
});

test('a user of another organization can neither see nor replace the credential', async ({ browser, request }) => {
  // Organization B's user against organization A's cloud (whose credential the test above set),
  // through the page and the API; afterwards A's credential is unchanged.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, world.cspB.email, world.csp.password);
  expect((await page.goto(`/clouds/${world.cloudA}/credential`))?.status()).toBe(404);
  const tokenB = adminCli(['create-token', world.cspB.email, '--days', '1']);
  const get = await api(request, tokenB, 'GET', `/api/v1/clouds/${world.cloudA}/credential`);
  expect(get.status()).toBe(404);
  const put = await api(request, tokenB, 'PUT', `/api/v1/clouds/${world.cloudA}/credential`, {
    clouds_yaml: cloudsYaml('hijack'),
    cloud: 'acme-prod',
  });
  expect(put.status()).toBe(404);
  const del = await api(request, tokenB, 'DELETE', `/api/v1/clouds/${world.cloudA}/credential`);
  expect(del.status()).toBe(404);
  const still = await (await api(request, world.csp.token, 'GET', `/api/v1/clouds/${world.cloudA}/credential`)).text();
  expect(still).toContain('e2e-appcred-id-1');
  await ctx.close();
});
