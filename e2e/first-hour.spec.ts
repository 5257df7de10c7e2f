// The first hour of a reviewer and a CSP operator (issue 16), walked as people would, in Chromium:
// staff sign in, create the organization (with a typo in a contact address, then corrected) and
// its cloud, and invite the operator; the operator accepts, is signed in, lands on "what to do
// next", saves a credential with save & test (a broken clouds.yaml, then a too-powerful user, then
// the right application credential), runs the checks (a failing policy, then fixed: the diff),
// attests with a mistake and corrects it; staff request changes, the operator resubmits, staff see
// what changed (and the evidence in place: text, the PDF drawn page by page) and approve, pin the
// certified endpoint, grant the certificate after typing the slug; the public page, badge and
// QR code follow. Every page is checked with axe-core at 1280 and 390 px and must not be wider than
// the viewport.
//
// Runs execute against the in-project OpenStack simulator (over TLS, its CA pasted as the CA
// bundle) in a worker process of the production kind (e2e/support/vault-worker.ts: it decrypts the
// credential the operator saved). With DOCS_IMAGES=1 (`npm run docs:images`) the spec also takes
// the pictures of docs/user-guide.md; otherwise it writes nothing into the work tree.
import { test, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { OpenStackSimulator } from '../lab/simulator';
import { selfSignedCertificate } from '../lab/simulator/certs';
import { samplePdf } from '../tests/fixtures/attestation-files';
import { axe } from './support/axe';
import { admin, base, signIn, startWorkerProcess, uid } from './support/setup';

const DOCS = process.env.DOCS_IMAGES === '1';
const u = uid();
const org = { slug: `first-${u}`, name: `First Hour Cloud GmbH ${u}` };
const cloud = { slug: `first-cloud-${u}`, name: `First Cloud ${u}` };
const operator = { email: `operator-${u}@first.example`, name: 'Olga Operator', password: `operator-pass-${u}` };

// A step that cannot find its control fails within seconds, not at the end of the whole walk.
test.use({ actionTimeout: 20_000 });

let sim: OpenStackSimulator;
let tls: { key: string; cert: string };
let worker: { stop(): Promise<void> } | undefined;

/** Every key-manager answer takes a moment, so the live progress can be watched. */
function slowKeyManager() {
  sim.addFault({ service: 'barbican', action: { kind: 'latency', ms: 80 } });
}

test.beforeAll(async () => {
  tls = selfSignedCertificate(400);
  sim = await new OpenStackSimulator({ policy: 'creator', tls: { keystone: tls, barbican: tls } }).start();
  worker = await startWorkerProcess('e2e/support/vault-worker.ts', {
    DATA_DIR: process.env.E2E_DATA_DIR!,
    ALLOW_PRIVATE_ENDPOINTS: 'true',
  });
});

test.afterAll(async () => {
  await worker?.stop();
  await sim?.stop();
});

/** No page may scroll sideways: only tables scroll inside their own box. */
async function expectFits(page: Page, what: string, width: number) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(wide, `${what} is ${wide} px wide at ${width} px`).toBeLessThanOrEqual(width);
}

/**
 * What a person would check on every page: it passes axe-core and fits the screen at 1280 and at
 * 390 px. With DOCS_IMAGES=1 it also takes the guide's picture (of `focus`, or the viewport).
 */
async function look(page: Page, name: string, focus?: Locator) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await expectFits(page, name, 1280);
  await axe(page, `${name} at 1280 px`);
  if (DOCS) {
    if (focus) await focus.scrollIntoViewIfNeeded();
    else await page.evaluate(() => window.scrollTo(0, 0));
    await (focus ?? page).screenshot({ path: `docs/images/${name}.png` });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await expectFits(page, name, 390);
  await axe(page, `${name} at 390 px`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function newPage(browser: Browser): Promise<Page> {
  // axe-core is injected as a script, which a Content-Security-Policy may forbid.
  const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  return ctx.newPage();
}

function cloudsYaml(entry: string): string {
  return `clouds:\n  sim:\n${entry}    region_name: RegionOne\n    identity_api_version: 3\n`;
}

test('the first hour: organization, cloud, invitation, credential, runs, attestation, review, certificate, public page', async ({
  browser,
}) => {
  test.setTimeout(420_000);
  const staff = await newPage(browser);

  // --- Staff sign in and land on the overview; the navigation is one row, a menu on a phone.
  await signIn(staff, admin().email, admin().password);
  await expect(staff).toHaveURL(/\/compliance$/);
  const nav = staff.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  const linkTops = await nav.getByRole('link').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().top));
  expect(new Set(linkTops).size, 'the navigation fits one row at 1280 px').toBe(1);
  await staff.setViewportSize({ width: 390, height: 844 });
  const menu = staff.getByRole('button', { name: 'Menu' });
  await expect(nav).toBeHidden();
  await menu.focus();
  await staff.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Clouds' })).toBeVisible();
  await staff.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await staff.setViewportSize({ width: 1280, height: 900 });
  await look(staff, 'overview');
  // An empty list says what to do next.
  await staff.goto(`/clouds?q=nothing-${u}`);
  await expect(staff.getByTestId('empty-state')).toContainText('No cloud matches these filters.');
  await expect(staff.getByTestId('empty-state').getByRole('link', { name: 'Show all clouds' })).toBeVisible();

  // --- The organization: a mistyped contact address is marked beside its field, what was typed is kept.
  await staff.goto('/organizations/new');
  await staff.getByLabel('Slug').fill(org.slug);
  await staff.getByLabel('Name').fill(org.name);
  await staff.getByLabel('Contact emails').fill('ops@first.example, ops-at-first.example');
  await staff.getByRole('button', { name: 'Create organization' }).click();
  await expect(staff.locator('#f-contactEmails-error')).toContainText('“ops-at-first.example”');
  await expect(staff.getByLabel('Contact emails')).toHaveAttribute('aria-invalid', 'true');
  await expect(staff.getByLabel('Name')).toHaveValue(org.name);
  await look(staff, 'organization-form-error');
  await staff.getByLabel('Contact emails').fill('ops@first.example');
  await staff.getByRole('button', { name: 'Create organization' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: org.name })).toBeVisible();

  // --- Its cloud, publicly listed; a new cloud shows the way to its certificate and pushes no run.
  await staff.goto(`/clouds/new?organization=${org.slug}`);
  await staff.getByLabel('Slug').fill(cloud.slug);
  await staff.getByLabel('Name').fill(cloud.name);
  await staff.getByLabel('Organization (CSP)').selectOption(org.slug);
  await staff.getByLabel('Region').fill('RegionOne');
  await staff.getByLabel('List publicly').check();
  await staff.getByRole('button', { name: 'Create cloud' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: cloud.name })).toBeVisible();
  const checklist = staff.getByTestId('setup-checklist');
  await expect(checklist).toContainText('0 of 5 steps done');
  await expect(checklist.getByTestId('setup-credential')).toHaveAttribute('data-state', 'next');
  await expect(checklist.getByTestId('setup-run')).toHaveAttribute('data-state', 'waiting');
  await expect(staff.getByRole('button', { name: 'Run now' })).toHaveCount(0);
  await expect(staff.getByTestId('next-run')).toHaveText('once a credential is saved');
  await look(staff, 'cloud-setup', checklist);
  // The clouds list has a status column.
  await staff.goto(`/clouds?q=${cloud.slug}`);
  await expect(
    staff.locator(`[data-testid=cloud-row][data-cloud="${cloud.slug}"]`).getByTestId('cloud-list-status'),
  ).toBeVisible();
  await look(staff, 'clouds-list');

  // --- The invitation.
  await staff.goto(`/organizations/${org.slug}`);
  await staff.getByRole('link', { name: 'Invite a user' }).click();
  await staff.getByLabel('Email').fill(operator.email);
  await staff.getByRole('button', { name: 'Create invitation' }).click();
  const link = await staff.getByTestId('reveal').locator('input').inputValue();
  expect(link).toContain('/invite/');

  // --- The operator accepts and is signed in, landing on what to do next.
  const csp = await newPage(browser);
  await csp.goto(link);
  await expect(csp.getByRole('heading', { level: 1 })).toContainText(org.name);
  await look(csp, 'invitation');
  await csp.getByLabel('Your name').fill(operator.name);
  await csp.locator('#f-password').fill(operator.password);
  await csp.locator('#f-passwordConfirm').fill(operator.password);
  await csp.getByRole('button', { name: 'Create account' }).click();
  await expect(csp).toHaveURL(/\/compliance\?welcome=1$/);
  await expect(csp.getByTestId('whoami')).toContainText(operator.email);
  await expect(csp.getByTestId('welcome')).toContainText('you are signed in');
  const first = csp.getByTestId('next-step').filter({ hasText: cloud.name });
  await expect(first).toContainText('has no credential yet');
  await look(csp, 'landing-csp', csp.getByTestId('next-steps'));
  await first.getByRole('link', { name: 'Add the credential' }).click();
  await expect(csp).toHaveURL(new RegExp(`/clouds/${cloud.slug}/credential$`));

  // --- Save & test. A broken clouds.yaml says where; nothing is stored.
  const yamlBox = csp.getByLabel('clouds.yaml', { exact: true });
  const admin_ = sim.users.admin;
  await yamlBox.fill(
    `clouds:\n  sim:\n    auth:\n      auth_url: ${sim.keystoneUrl}/v3\n     username: ${admin_.name}\n`,
  );
  await csp.getByRole('button', { name: /^Save & test the primary credential/ }).click();
  await expect(csp.locator('#f-clouds_yaml-error')).toHaveText(
    'clouds.yaml is not valid YAML: the indentation does not line up at line 5, column 1.',
  );
  await expect(yamlBox).not.toHaveValue('');
  await look(csp, 'credential-yaml-error');
  // A user with the admin role: saved and tested, and the problem is named before any run.
  await yamlBox.fill(
    cloudsYaml(
      `    auth:\n      auth_url: ${sim.keystoneUrl}/v3\n      username: ${admin_.name}\n      password: ${admin_.password}\n      user_domain_name: Default\n      project_id: ${admin_.projectId}\n`,
    ),
  );
  await csp.getByLabel('CA bundle (optional, PEM)').fill(tls.cert);
  await csp.getByRole('button', { name: /^Save & test the primary credential/ }).click();
  await expect(csp).toHaveURL(/saved=primary/);
  await expect(csp.getByTestId('saved-banner')).toContainText('1 problem to fix before the first run');
  const primaryCard = csp.getByTestId('credential-primary');
  await expect(primaryCard.getByTestId('test-warnings')).toContainText(
    'carries admin: the official checks would ABORT',
  );
  expect(await csp.content()).not.toContain(admin_.password);
  // The right credential: an application credential of a plain member.
  await csp.getByRole('link', { name: 'Replace' }).click();
  await csp
    .getByLabel('clouds.yaml', { exact: true })
    .fill(
      cloudsYaml(
        `    auth_type: v3applicationcredential\n    auth:\n      auth_url: ${sim.keystoneUrl}/v3\n      application_credential_id: ${sim.appCredential.id}\n      application_credential_secret: ${sim.appCredential.secret}\n`,
      ),
    );
  await csp.getByLabel('CA bundle (optional, PEM)').fill(tls.cert);
  await csp.getByRole('button', { name: /^Replace & test the primary credential/ }).click();
  await expect(csp.getByTestId('saved-banner')).toContainText('Ready for a run');
  await expect(primaryCard.getByTestId('test-ready')).toBeVisible();
  await expect(primaryCard.getByTestId('last-test')).toContainText('member');
  expect(await csp.content()).not.toContain(sim.appCredential.secret);
  await look(csp, 'credential-tested', primaryCard);

  // --- The first run: the key manager refuses a member (policy not adjusted yet).
  sim.addFault({
    service: 'barbican',
    method: 'POST',
    path: '/v1/secrets',
    action: { kind: 'status', status: 403, body: '{"title":"Forbidden"}', contentType: 'application/json' },
  });
  slowKeyManager();
  await csp.goto(`/clouds/${cloud.slug}`);
  await expect(csp.getByTestId('setup-credential')).toHaveAttribute('data-state', 'done');
  await expect(csp.getByTestId('setup-test')).toHaveAttribute('data-state', 'done');
  await csp.getByRole('button', { name: 'Run now' }).click();
  await csp.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  const firstRun = csp.url();
  const live = csp.getByTestId('run-live');
  // The header follows the live state.
  await expect(live.getByTestId('run-status')).toContainText('running', { timeout: 30_000 });
  await expect(csp.getByTestId('header-run-status')).toHaveAttribute('data-status', 'running');
  await expect(live.getByTestId('run-status')).toContainText('finished', { timeout: 90_000 });
  await expect(csp.getByTestId('header-run-status')).toHaveAttribute('data-status', 'finished');
  const summary = csp.getByTestId('run-summary');
  await expect(summary.getByTestId('run-status-scs-0116-v1')).toHaveAttribute('data-status', 'FAIL');
  await expect(summary.getByTestId('not-passing').locator('li').first()).toContainText('scs-0116-permissions');
  await expect(summary).toContainText('first finished run of this cloud');
  // Each check once, failures first; evidence bodies indented, with a copy button.
  await expect(csp.locator('[data-testid^="check-"]')).toHaveCount(0);
  const results = csp.locator('[data-testid^="result-"]');
  await expect(results.first()).toHaveAttribute('data-testid', 'result-scs-0116-permissions');
  const ids = await results.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(new Set(ids).size).toBe(ids.length);
  const permissions = csp.getByTestId('result-scs-0116-permissions');
  await permissions.getByTestId('evidence').locator('summary').first().click();
  for (const s of await permissions.getByTestId('evidence').locator('li > details > summary').all()) await s.click();
  const body = permissions.locator('[data-testid=evidence-body][data-json=true]').first();
  await expect(body).toBeVisible();
  expect(await body.locator('pre').textContent()).toMatch(/^\{\n {2}"/);
  await expect(body.getByRole('button', { name: /^Copy/ })).toBeVisible();
  await look(csp, 'run-summary', summary);

  // --- The operator adjusts the policy and runs again: the diff says what changed.
  sim.faults.clear();
  slowKeyManager();
  await csp.goto(`/clouds/${cloud.slug}`);
  await csp.getByRole('button', { name: 'Run now' }).click();
  await csp.waitForURL((url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && url.toString() !== firstRun);
  await expect(csp.getByTestId('run-live').getByTestId('run-status')).toContainText('finished', { timeout: 90_000 });
  await expect(csp.getByTestId('run-summary').getByTestId('run-status-scs-0116-v1')).toHaveAttribute(
    'data-status',
    'PASS',
  );
  await csp.getByTestId('diff-link').click();
  await expect(csp).toHaveURL(/#diff$/);
  const diff = csp.getByTestId('diff');
  await expect(diff.getByRole('row', { name: /scs-0116-permissions/ })).toContainText(/FAIL.*PASS/s);
  await look(csp, 'run-diff', diff);

  // --- The attestation, with a mistake: the problems are listed at the top and beside each question.
  await csp.goto('/compliance');
  await csp
    .getByTestId('next-step')
    .filter({ hasText: `${cloud.name} needs an attestation` })
    .getByRole('link')
    .click();
  await csp.getByRole('button', { name: 'Start the attestation' }).click();
  await csp.waitForURL(/\/attestations\/[0-9a-f-]{36}$/);
  const attestationUrl = csp.url();
  await expect(csp.locator('label[for=f-implementation]')).toContainText('*');
  await csp.locator('#f-implementation').selectOption('barbican');
  await csp.locator('#f-implementationVersion').fill('2025.1 (Epoxy)');
  await csp.locator('#f-secretStore').selectOption('pkcs11');
  await csp.locator('#f-kekLocation').selectOption('hsm');
  await csp.locator('#f-keysEncrypted').selectOption('no');
  await csp.locator('#f-kekStoredApart').selectOption('yes');
  await csp.locator('#f-rbac').selectOption('creator_mapped');
  await csp
    .locator('#f-protectionDescription')
    .fill('The Master-KEK is generated in a PKCS#11 HSM pair and never leaves it in plain text.');
  await csp.locator('#f-validFrom').fill('2026-01-01');
  await csp.locator('#f-contactName').fill(operator.name);
  await csp.locator('#f-contactEmail').fill(operator.email);
  await expect(csp.getByTestId('autosave')).toContainText(/Draft saved at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  await csp.getByLabel('Add evidence files').setInputFiles({
    name: 'hsm-policy.pdf',
    mimeType: 'application/pdf',
    buffer: samplePdf('HSM key ceremony'),
  });
  await expect(csp.getByTestId('evidence-file')).toHaveCount(1);
  await csp.getByLabel(/I confirm that this statement/).check();
  await csp.getByLabel('Your full name (signature)').fill(operator.name);
  await csp.getByRole('button', { name: 'Sign and submit for review' }).click();
  await expect(csp).toHaveURL(/\?check=1#problems$/);
  const problems = csp.getByTestId('problem-summary');
  await expect(problems).toContainText('Not submitted yet: 2 answers need attention.');
  await expect(
    problems.getByRole('link', { name: 'Is the Master-KEK ever in plain text on the key-manager host?' }),
  ).toHaveAttribute('href', '#f-kekPlaintextOnHost');
  await expect(problems).toContainText('Are the keys stored encrypted?');
  await expect(problems).not.toContainText('kekPlaintextOnHost:');
  await expect(csp.locator('#f-keysEncrypted')).toHaveAttribute('aria-invalid', 'true');
  await expect(csp.locator('#f-keysEncrypted-error')).toContainText('MUST');
  await look(csp, 'attestation-problems', problems);
  // The correction.
  await problems.getByRole('link', { name: /plain text on the key-manager host/ }).click();
  await csp.locator('#f-kekPlaintextOnHost').selectOption('no');
  await csp.locator('#f-keysEncrypted').selectOption('yes');
  await expect(csp.locator('#f-keysEncrypted-error')).toHaveCount(0);
  await expect(csp.getByTestId('autosave')).toContainText('Draft saved');
  await csp.getByLabel(/I confirm that this statement/).check();
  await csp.getByLabel('Your full name (signature)').fill(operator.name);
  await csp.getByRole('button', { name: 'Sign and submit for review' }).click();
  await expect(csp.getByTestId('submitted-next')).toContainText('What happens next');
  await expect(csp.getByTestId('attestation-state')).toHaveAttribute('data-state', 'submitted');
  await look(csp, 'attestation-submitted', csp.getByTestId('submitted-next'));

  // --- Staff: the landing points to the queue; a request for changes.
  await staff.goto('/compliance');
  await expect(staff.getByTestId('review-waiting')).toContainText('for review');
  await staff.getByTestId('review-waiting').getByRole('link', { name: 'Open the review queue' }).click();
  const row = staff.getByTestId('queue-item').filter({ hasText: cloud.name });
  await row.getByRole('link', { name: 'Review' }).click();
  await expect(staff.getByTestId('submission-diff')).toHaveCount(0);
  await staff.getByLabel('Request changes').check();
  await staff
    .getByLabel('Comment (shown to the CSP)')
    .fill('Please attach the HSM audit log that shows the key ceremony, and say who holds the HSM.');
  await staff.getByRole('button', { name: 'Record decision' }).click();
  await expect(staff.getByTestId('attestation-state')).toHaveAttribute('data-state', 'changes_requested');

  // --- The operator reads the comment, changes an answer, adds a file, resubmits.
  await csp.goto('/compliance');
  await csp.getByTestId('next-step').filter({ hasText: 'asked for changes' }).getByRole('link').click();
  await csp.getByRole('link', { name: /Continue revision 1/ }).click();
  await expect(csp).toHaveURL(attestationUrl);
  await expect(csp.getByTestId('changes-requested')).toContainText('HSM audit log');
  await csp
    .locator('#f-protectionDescription')
    .fill(
      'The Master-KEK is generated in a PKCS#11 HSM pair run by our security team and never leaves it in plain text; the audit log of the key ceremony is attached.',
    );
  await expect(csp.getByTestId('autosave')).toContainText('Draft saved');
  await csp.getByLabel('Add evidence files').setInputFiles({
    name: 'hsm-audit.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('2026-01-02 10:00 key ceremony: Master-KEK generated inside HSM slot 1; no export.\n'),
  });
  await expect(csp.getByTestId('evidence-file')).toHaveCount(2);
  await csp.getByLabel(/I confirm that this statement/).check();
  await csp.getByLabel('Your full name (signature)').fill(operator.name);
  await csp.getByRole('button', { name: 'Sign and submit for review' }).click();
  await expect(csp.getByTestId('submitted-next')).toBeVisible();

  // --- Staff see what changed since submission 1 and the earlier comment; the text file in place; approval.
  await staff.goto(attestationUrl.replace(/\/?$/, '/review'));
  const changes = staff.getByTestId('submission-diff');
  await expect(changes).toContainText('Changes since submission 1 of this revision');
  await expect(changes.locator('[data-testid=changed-answer][data-field=protectionDescription]')).toContainText(
    'audit log of the key ceremony',
  );
  await expect(changes.getByTestId('changed-files')).toContainText('added hsm-audit.txt');
  await expect(staff.getByTestId('earlier-reviews')).toContainText('Please attach the HSM audit log');
  const preview = staff.getByTestId('evidence-preview').filter({ hasText: 'hsm-audit.txt' });
  await preview.locator('summary').click();
  await expect(preview.getByTestId('text-preview')).toContainText('no export');
  await look(staff, 'review-diff', changes);
  // The PDF drawn in place (pdf.js in a sandboxed frame), page 1 with its words.
  const pdf = staff.getByTestId('evidence-preview').filter({ hasText: 'hsm-policy.pdf' });
  await pdf.locator('summary').click();
  await expect(pdf.getByTestId('pdf-page')).toHaveText('Page 1 of 1');
  await expect(pdf.frameLocator('iframe').locator('.textLayer')).toHaveText('HSM key ceremony');
  await look(staff, 'review-pdf-preview', pdf);
  await staff.getByLabel('Approve').check();
  await staff.getByLabel('Comment (shown to the CSP)').fill('Audit log and explanation accepted.');
  await staff.getByRole('button', { name: 'Record decision' }).click();
  await expect(staff.getByTestId('attestation-state')).toHaveAttribute('data-state', 'approved');

  // --- Staff pin the certified endpoint, the one the runs were made against (a grant needs it).
  await staff.goto(`/clouds/${cloud.slug}/edit`);
  const pin = staff.getByTestId('certified-endpoint');
  await pin.getByLabel('Keystone auth URL').fill(`${sim.keystoneUrl}/v3`);
  await pin.getByRole('button', { name: 'Pin the certified endpoint' }).click();
  await expect(pin.getByTestId('form-message')).toContainText('(region RegionOne)');

  // --- The certificate, after typing the slug; the dialog says what is published.
  await staff.goto(`/clouds/${cloud.slug}`);
  await expect(staff.getByTestId('status-scs-0116-v1')).toHaveAttribute('data-status', 'PASS');
  await expect(staff.getByTestId('setup-checklist')).toContainText('4 of 5 steps done');
  await staff
    .getByTestId('grant-certificate')
    .getByRole('button', { name: /Grant certificate/ })
    .click();
  const dialog = staff.getByRole('dialog', { name: /Grant .* certificate/ });
  await expect(dialog).toContainText(`/status/${cloud.slug}`);
  await expect(dialog).toContainText(`/badge/${cloud.slug}.svg`);
  const grant = dialog.getByRole('button', { name: 'Grant and publish' });
  await expect(grant).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill(cloud.name);
  await expect(grant).toBeDisabled();
  await dialog.getByLabel(/Type .* to confirm/).fill(cloud.slug);
  await look(staff, 'certificate-confirm', dialog);
  await grant.click();
  await expect(staff.getByTestId('certificate-state')).toContainText('valid');
  await expect(staff.getByTestId('setup-checklist')).toHaveCount(0);
  await look(staff, 'cloud-page');

  // --- The public page, badge and QR code.
  const visitor = await newPage(browser);
  const res = await visitor.goto(`/status/${cloud.slug}`);
  expect(res?.status()).toBe(200);
  await expect(visitor.getByTestId('public-status-scs-0116-v1')).toHaveAttribute('data-status', 'PASS');
  await expect(visitor.getByTestId('public-certificate')).toContainText('valid');
  await look(visitor, 'public-status');
  const badge = await visitor.request.get(`${base()}/badge/${cloud.slug}.svg`);
  expect(badge.headers()['content-type']).toContain('image/svg+xml');
  expect(await badge.text()).toContain('certified');
  const qr = await visitor.request.get(`${base()}/status/${cloud.slug}/qr.png`);
  expect(qr.headers()['content-type']).toBe('image/png');
  expect((await qr.body()).subarray(1, 4).toString()).toBe('PNG');
  expect((await visitor.request.get(`${base()}/status/${cloud.slug}/qr.svg`)).status()).toBe(200);
  // The favicon is there.
  const icon = await visitor.request.get(`${base()}/favicon.ico`);
  expect(icon.status()).toBe(200);
});
