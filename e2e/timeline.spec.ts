// The cloud page's "Runs and attestations" (issue 7): runs and attestation revisions interleaved,
// newest first, linked to their pages, narrowed by the history's period filter and paged with
// keyboard-reachable links; for staff and for a CSP user of the owning organization, with an
// accessibility check (axe-core) and a 375 px wide screen.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { axe } from './support/axe';
import { adminCli, dbQuery, makeWorld, signIn, uid, type World } from './support/setup';

let world: World;
const reviewer = { email: `reviewer-${uid()}@e2e.example`, password: `pw-${uid()}-${uid()}` };
const rev: Record<number, string> = {};
let newestRun = '';

test.describe.configure({ mode: 'serial' });

// Every time is relative to today's 00:00 UTC, so the 30-day period's first day (00:00 UTC of the
// 29th day before today) cuts the data at the same place whatever the hour the suite runs:
// 40 runs at noon of the 40 days before today (the last 29 of them in the 30-day period), revision 1
// approved 120 days ago (expired, superseded; 18 months only), revision 2 approved 45 days ago
// (90 days: in; 30 days: out), revision 3 submitted between the runs of three and four days ago.
// 18 months: 43 entries; 90 days: 42 (two pages each); 30 days: 30.
test.beforeAll(async ({ request }) => {
  world = await makeWorld(request);
  adminCli(['create-user', reviewer.email, '--role', 'reviewer', '--password-stdin'], reviewer.password);
  const midnight = `date_trunc('day', now() AT TIME ZONE 'UTC')`;
  await dbQuery(
    `
    WITH c AS (SELECT id FROM "Cloud" WHERE slug = $1),
    runs AS (
      INSERT INTO "Run" (id, "cloudId", status, trigger, "queuedAt", "startedAt", "finishedAt")
      SELECT gen_random_uuid(), c.id, 'finished', 'schedule', ${midnight} - (d || ' days')::interval - interval '12 hours',
             ${midnight} - (d || ' days')::interval - interval '12 hours', ${midnight} - (d || ' days')::interval - interval '11 hours 58 minutes'
        FROM c, generate_series(0, 39) d
      RETURNING id, "cloudId", "finishedAt")
    INSERT INTO "RunResult" (id, "runId", "cloudId", testcase, verdict, message, "durationMs", "checkedAt")
    SELECT gen_random_uuid(), runs.id, runs."cloudId", t.testcase,
           (CASE WHEN t.testcase = 'scs-0116-permissions' AND runs."finishedAt" < ${midnight} - interval '5 days' AND runs."finishedAt" > ${midnight} - interval '6 days'
                 THEN 'FAIL' ELSE 'PASS' END)::"Verdict", 'ok', 500, runs."finishedAt"
      FROM runs CROSS JOIN (VALUES ('scs-0116-presence'), ('scs-0116-permissions'), ('km-roles'), ('km-tls')) t(testcase)`,
    [world.cloudA],
  );
  const rows = await dbQuery<{ revision: number; id: string }>(
    `
    INSERT INTO "Attestation" (id, "cloudId", revision, state, standard, statement, "createdByLabel", "createdAt", "submittedAt", "decidedAt", "approvedAt", "expiresAt")
    SELECT gen_random_uuid(), c.id, v.revision, v.state::"AttestationState", 'scs-0116-v1', '{}'::jsonb, 'e2e', v.created, v.submitted, v.decided, v.decided,
           v.decided + interval '91 days'
      FROM "Cloud" c, (VALUES
        (1, 'approved', ${midnight} - interval '123 days', ${midnight} - interval '122 days', ${midnight} - interval '120 days'),
        (2, 'approved', ${midnight} - interval '48 days', ${midnight} - interval '47 days', ${midnight} - interval '45 days'),
        (3, 'submitted', ${midnight} - interval '4 days', ${midnight} - interval '3 days 6 hours', NULL)) v(revision, state, created, submitted, decided)
     WHERE c.slug = $1
    RETURNING revision, id`,
    [world.cloudA],
  );
  for (const r of rows) rev[r.revision] = r.id;
  [{ id: newestRun }] = await dbQuery<{ id: string }>(
    'SELECT r.id FROM "Run" r JOIN "Cloud" c ON c.id = r."cloudId" WHERE c.slug = $1 ORDER BY r."queuedAt" DESC LIMIT 1',
    [world.cloudA],
  );
});

const entries = (page: Page) => page.getByTestId('timeline').getByTestId('timeline-entry');

/** The entries' times are ISO strings, so newest-first order is descending string order. */
async function expectNewestFirst(list: Locator) {
  const at = await list.evaluateAll((els) => els.map((e) => e.getAttribute('data-at') ?? ''));
  expect(at.length).toBeGreaterThan(0);
  expect(at).toEqual([...at].sort().reverse());
}

/** Tabs from the top of the page until a link with this name has the focus (keyboard only). */
async function tabTo(page: Page, name: string, within = 400) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < within; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el
        ? { text: el.textContent?.trim() ?? '', nav: el.closest('nav')?.getAttribute('aria-label') ?? '' }
        : null;
    });
    if (focused?.text === name && focused.nav === 'Timeline pages') return;
  }
  throw new Error(`"${name}" of the timeline pages was not reached with ${within} tabs`);
}

test('staff: runs and revisions interleaved newest first, linked, narrowed by the period, paged by keyboard', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1200, height: 900 });
  await signIn(page, reviewer.email, reviewer.password);
  await page.goto(`/clouds/${world.cloudA}?period=90d`);
  await expect(page.getByRole('heading', { name: 'Runs and attestations' })).toBeVisible();
  const list = entries(page);
  await expect(list).toHaveCount(25);
  await expectNewestFirst(list);
  // The revision submitted three days ago sits between the runs of three and four days ago.
  expect(await list.evaluateAll((els) => els.slice(0, 5).map((e) => e.getAttribute('data-kind')))).toEqual([
    'run',
    'run',
    'run',
    'attestation',
    'run',
  ]);
  await expect(list.nth(3)).toContainText('Attestation rev. 3');
  await expect(list.nth(3)).toContainText('Submitted');
  await expect(list.nth(3)).toContainText('waiting for review');
  await expect(page.getByRole('navigation', { name: 'Timeline pages' })).toContainText('Page 1 of 2 · 42 items');
  // Verdicts per testcase; the FAIL of five days ago is the sixth run.
  const failing = list.filter({ has: page.locator('[data-testcase="scs-0116-permissions"] [data-status=FAIL]') });
  await expect(failing).toHaveCount(1);
  await expect(failing).toHaveAttribute('data-kind', 'run');
  await expect(list.first().locator('[data-testcase="scs-0116-presence"] [data-status=PASS]')).toHaveCount(1);
  await expect(list.first()).toContainText('2 km-* results, all PASS');

  // A run opens its run page.
  await list
    .first()
    .getByRole('link', { name: /^Run of / })
    .click();
  await expect(page).toHaveURL(new RegExp(`/runs/${newestRun}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Run of');
  await page.goBack();
  // A revision opens its attestation page.
  await page.getByRole('link', { name: /^Attestation revision 3, / }).click();
  await expect(page).toHaveURL(new RegExp(`/attestations/${rev[3]}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('revision 3');
  await page.goBack();

  // Next page, by keyboard: the link keeps the period and brings the reader back to the list.
  await tabTo(page, 'Next');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/clouds/${world.cloudA}\\?period=90d&tpage=2#timeline$`));
  await expect(list).toHaveCount(17);
  await expectNewestFirst(list);
  await expect(page.getByRole('navigation', { name: 'Timeline pages' })).toContainText('Page 2 of 2 · 42 items');
  const oldest = list.last();
  await expect(oldest).toHaveAttribute('data-kind', 'attestation');
  await expect(oldest.getByTestId('attestation-state')).toHaveAttribute('data-state', 'approved');
  await expect(oldest).toContainText('valid until');
  await expect(oldest.getByRole('link', { name: /^Attestation revision 2, / })).toHaveAttribute(
    'href',
    `/attestations/${rev[2]}`,
  );
  await axe(page, 'cloud page with the timeline, page 2');
  await tabTo(page, 'Previous');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/period=90d&tpage=1#timeline$/);
  await expect(list).toHaveCount(25);

  // The period filter narrows history and timeline together and starts the list at its first page.
  const filter = page.getByRole('form', { name: 'History period' });
  await filter.locator('select[name=period]').selectOption('30d');
  await filter.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/clouds/${world.cloudA}\\?period=30d$`));
  await expect(
    page.getByTestId('history').getByRole('list', { name: 'History of scs-0116-permissions' }),
  ).toHaveAttribute('data-days', '30');
  await expect(page.getByRole('navigation', { name: 'Timeline pages' })).toContainText('Page 1 of 2 · 30 items');
  await page.getByRole('navigation', { name: 'Timeline pages' }).getByRole('link', { name: 'Next' }).click();
  await expect(list).toHaveCount(5);
  await expect(page.getByRole('link', { name: /^Attestation revision 2, / })).toHaveCount(0);
  expect(await list.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual([
    'run',
    'run',
    'run',
    'run',
    'run',
  ]);

  // A cloud without runs or revisions says so.
  await page.goto(`/clouds/${world.cloudB}`);
  await expect(page.getByText('No runs or attestation revisions in this period.')).toBeVisible();
  await expect(entries(page)).toHaveCount(0);
});

test('CSP user of the owning organization: the same timeline, readable at 375 px; another organization gets 404', async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await signIn(page, world.csp.email, world.csp.password);
  await page.goto(`/clouds/${world.cloudA}`);
  const list = entries(page);
  await expect(list).toHaveCount(25);
  await expectNewestFirst(list);
  await expect(page.getByRole('navigation', { name: 'Timeline pages' })).toContainText('Page 1 of 2 · 43 items');
  expect(await list.evaluateAll((els) => els.slice(0, 5).map((e) => e.getAttribute('data-kind')))).toEqual([
    'run',
    'run',
    'run',
    'attestation',
    'run',
  ]);
  // Nothing of the list is wider than the screen.
  const overflow = await page.getByTestId('timeline').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const box = await page.getByTestId('timeline').boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(375);
  await axe(page, 'cloud page with the timeline at 375 px (CSP)');

  await page.getByRole('link', { name: /^Attestation revision 3, / }).click();
  await expect(page).toHaveURL(new RegExp(`/attestations/${rev[3]}$`));
  await page.goBack();
  await list
    .first()
    .getByRole('link', { name: /^Run of / })
    .click();
  await expect(page).toHaveURL(new RegExp(`/runs/${newestRun}$`));
  await page.goBack();
  await tabTo(page, 'Next');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/period=18m&tpage=2#timeline$/);
  await expect(list).toHaveCount(18);
  await expect(list.nth(16)).toHaveAttribute('data-id', rev[2]);
  // The oldest approval has expired and was superseded by revision 2.
  const expired = list.last();
  await expect(expired).toHaveAttribute('data-id', rev[1]);
  await expect(expired).toContainText('Expired');
  await expect(expired).toContainText('superseded by a later approval');

  // A CSP user of another organization does not learn that the cloud exists.
  await page.context().clearCookies();
  await signIn(page, world.cspB.email, world.csp.password);
  expect((await page.request.get(`/clouds/${world.cloudA}?period=90d&tpage=2`)).status()).toBe(404);
});
