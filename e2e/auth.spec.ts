import { test, expect } from '@playwright/test';
import { admin, adminCli, signIn, signOut, uid } from './support/setup';

test('the admin signs in and out', async ({ page }) => {
  await page.goto('/clouds');
  await expect(page).toHaveURL(/\/signin\?next=%2Fclouds/);
  await signIn(page, admin().email, admin().password);
  // signIn() opens /signin afresh (no next=), so the landing page follows: the compliance overview (issue 7).
  await expect(page).toHaveURL(/\/compliance$/);
  await signOut(page);
  await expect(page.getByRole('status')).toContainText('You have signed out');
  await page.goto('/clouds');
  await expect(page).toHaveURL(/\/signin/);
});

test('a wrong password is refused with a clear message and the email is kept', async ({ page }) => {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(admin().email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('form-message')).toContainText('Email or password is not right');
  await expect(page.getByLabel('Email')).toHaveValue(admin().email);
});

test('failed sign-ins are limited per account and address, with a clear message', async ({ browser }) => {
  // Its own client address (the server trusts X-Forwarded-For in this suite), so the other tests are not blocked.
  const ctx = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': '203.0.113.77' } });
  const page = await ctx.newPage();
  const email = `nobody-${uid()}@e2e.example`;
  await page.goto('/signin');
  const button = page.getByRole('button', { name: 'Sign in', exact: true });
  for (let i = 0; i < 10; i++) {
    // Wait until the previous attempt has finished (the button reads "Signing in…" meanwhile):
    // React resets the form when an action completes, which would clear a password typed early.
    await expect(button).toBeEnabled();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(`guess-${i}`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByTestId('form-message')).toContainText('Email or password is not right');
  }
  await expect(button).toBeEnabled();
  await page.getByLabel('Password').fill('guess-10');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('form-message')).toContainText(/Too many failed sign-ins.*Try again in \d+ minutes?/);
  // The same address is blocked for the admin's correct password too: the limit is per address as well.
  await expect(button).toBeEnabled();
  await page.getByLabel('Email').fill(admin().email);
  await page.getByLabel('Password').fill(admin().password);
  await button.click();
  await expect(button).toBeEnabled();
  await expect(page.getByTestId('form-message')).toContainText('Too many failed sign-ins');
  await expect(page.getByTestId('whoami')).toHaveCount(0);
  await ctx.close();
});

test('OpenID Connect signs in a known user by email and refuses an unknown one', async ({ page, context }) => {
  const email = `oidc-${uid()}@e2e.example`;
  adminCli(['create-user', email, '--role', 'reviewer']);
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Sign in with SCS Keycloak' }).click();
  // oidc-provider's own login and consent pages.
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  await page
    .locator('button[type="submit"]')
    .filter({ hasText: /continue/i })
    .click();
  await expect(page.getByTestId('whoami')).toContainText(`${email} · reviewer`);
  await signOut(page);
  // Forget the identity provider's own session too, so it asks who is signing in.
  await context.clearCookies();

  await page.goto('/signin');
  await page.getByRole('button', { name: 'Sign in with SCS Keycloak' }).click();
  await page.locator('input[name="login"]').fill(`stranger-${uid()}@e2e.example`);
  await page.locator('input[name="password"]').fill('anything');
  await page.locator('button[type="submit"]').click();
  await page
    .locator('button[type="submit"]')
    .filter({ hasText: /continue/i })
    .click();
  await expect(page.getByRole('alert').filter({ hasText: 'has no access here' })).toBeVisible();
  await expect(page.getByTestId('whoami')).toHaveCount(0);
});
