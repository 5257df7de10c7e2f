// Issue 2's end-to-end acceptance: the admin builds an organization, a cloud and a CSP user in the
// browser; the CSP user sees only that organization's clouds; another organization's cloud is a
// 404; an API token works and a revoked one gets 401; deactivation takes effect at the next request.
import { test, expect, type Page } from '@playwright/test';
import { admin, base, signIn, uid } from './support/setup';

async function createOrganization(page: Page, slug: string, name: string) {
  await page.goto('/organizations/new');
  await page.getByLabel('Slug').fill(slug);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

async function createCloud(page: Page, slug: string, name: string, orgSlug: string) {
  await page.goto('/clouds/new');
  await page.getByLabel('Slug').fill(slug);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Organization (CSP)').selectOption(orgSlug);
  await page.getByLabel('Region').fill('RegionOne');
  await page.getByRole('button', { name: 'Create cloud' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('admin sets up an organization, cloud and CSP user; the CSP user sees only its own clouds', async ({
  page,
  browser,
  request,
}) => {
  const u = uid();
  const mine = { org: `acme-${u}`, orgName: `Acme ${u}`, cloud: `acme-cloud-${u}`, cloudName: `Acme Cloud ${u}` };
  const theirs = { org: `other-${u}`, orgName: `Other ${u}`, cloud: `other-cloud-${u}`, cloudName: `Other Cloud ${u}` };
  const csp = { email: `operator-${u}@acme.example`, password: `operator-pw-${u}` };

  await signIn(page, admin().email, admin().password);
  await createOrganization(page, mine.org, mine.orgName);
  await createOrganization(page, theirs.org, theirs.orgName);
  await createCloud(page, mine.cloud, mine.cloudName, mine.org);
  await createCloud(page, theirs.cloud, theirs.cloudName, theirs.org);

  // A refused form keeps what was typed and says why beside the field.
  await page.goto('/clouds/new');
  await page.getByLabel('Slug').fill(mine.cloud);
  await page.getByLabel('Name').fill('Duplicate <b>name</b>');
  await page.getByLabel('Organization (CSP)').selectOption(mine.org);
  await page.getByRole('button', { name: 'Create cloud' }).click();
  await expect(page.locator('#f-slug-error')).toContainText('taken');
  await expect(page.getByLabel('Name')).toHaveValue('Duplicate <b>name</b>');

  await page.goto('/admin/users/new');
  await page.getByLabel('Email').fill(csp.email);
  await page.getByLabel('Role').selectOption('csp');
  await page.getByRole('checkbox', { name: new RegExp(mine.orgName) }).check();
  await page.getByLabel('Initial password').fill(csp.password);
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(csp.email);

  // The CSP user, in a browser of its own.
  const cspContext = await browser.newContext();
  const cspPage = await cspContext.newPage();
  await signIn(cspPage, csp.email, csp.password);
  await cspPage.goto('/clouds');
  await expect(cspPage.getByRole('link', { name: mine.cloudName })).toBeVisible();
  await expect(cspPage.getByText(theirs.cloudName)).toHaveCount(0);
  const res = await cspPage.goto(`/clouds/${theirs.cloud}`);
  expect(res?.status()).toBe(404);
  await expect(cspPage.getByRole('heading', { name: 'Not found' })).toBeVisible();
  // Seeing its own cloud, but not changing its metadata: 403.
  expect((await cspPage.goto(`/clouds/${mine.cloud}/edit`))?.status()).toBe(403);

  // An API token created in the UI works; revoked, it gets 401.
  await cspPage.goto('/settings/tokens');
  await cspPage.getByLabel('Name').fill('e2e automation');
  await cspPage.getByRole('button', { name: 'Create token' }).click();
  const token = await cspPage.getByTestId('reveal').locator('input').inputValue();
  expect(token).toMatch(/^scskm_/);
  const me = await request.get(`${base()}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).email).toBe(csp.email);
  const clouds = await (
    await request.get(`${base()}/api/v1/clouds`, { headers: { Authorization: `Bearer ${token}` } })
  ).json();
  expect(clouds.items.map((c: { slug: string }) => c.slug)).toEqual([mine.cloud]);
  await cspPage.reload();
  await cspPage
    .getByRole('row', { name: /e2e automation/ })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await cspPage.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(cspPage.getByRole('row', { name: /e2e automation/ })).toContainText(/revoked/i);
  const after = await request.get(`${base()}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe('unauthenticated');

  // Deactivation takes effect at the CSP user's next request.
  await page.goto('/admin/users?q=' + encodeURIComponent(csp.email));
  await page.getByRole('link', { name: csp.email }).click();
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByRole('button', { name: 'Reactivate' })).toBeVisible();
  await cspPage.goto('/clouds');
  await expect(cspPage).toHaveURL(/\/signin/);
  await cspContext.close();

  // Everything above is in the audit log.
  await page.goto('/audit?actor=' + encodeURIComponent(admin().email));
  for (const action of ['organization.create', 'cloud.create', 'user.create', 'user.update']) {
    await expect(page.getByRole('cell', { name: action }).first()).toBeVisible();
  }
});
