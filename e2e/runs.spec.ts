// Runs in the browser: press "Run now" on a cloud page, watch the progress stream to the end,
// reload mid-run and pick up where the run is, open the evidence, then run again after the cloud
// changed and read the diff against the previous run.
//
// Topology: the app (playwright.config.ts) runs with WORKERS=off; this spec starts an OpenStack
// simulator and a worker process (tests/integration/support/worker-child.ts, the real
// startWorker) whose resolver returns the simulator's credentials. No test hook in the app.
// When the vault lands, the spec can instead store a credential for the cloud and use the app's
// own in-process worker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { OpenStackSimulator, simulatorCloud } from '../lab/simulator';
import { admin, adminCli, dbQuery, signIn, startWorkerProcess, uid } from './support/setup';

let sim: OpenStackSimulator;
let worker: { stop(): Promise<void> } | undefined;
const slug = `runs-e2e-${uid()}`;

test.beforeAll(async () => {
  sim = await new OpenStackSimulator({ policy: 'creator' }).start();
  // Slow enough to watch (each key-manager answer takes 120 ms), fast enough for a test.
  sim.addFault({ service: 'barbican', action: { kind: 'latency', ms: 120 } });
  const org = `runs-org-${uid()}`;
  await dbQuery(`INSERT INTO "Organization" (id, slug, name, "updatedAt") VALUES (gen_random_uuid(), $1, $2, now())`, [
    org,
    `Runs E2E ${org}`,
  ]);
  await dbQuery(
    `INSERT INTO "Cloud" (id, slug, name, "organizationId", schedule, "updatedAt") SELECT gen_random_uuid(), $1, $2, id, 'off', now() FROM "Organization" WHERE slug = $3`,
    [slug, `Runs E2E cloud ${slug}`, org],
  );
  // A stored credential, so the cloud page offers "Run now" (this spec's worker resolves the
  // simulator from its own file; e2e/first-hour.spec.ts runs from the stored credential itself).
  const token = adminCli(['create-token', admin().email, '--days', '1', '--name', `runs ${slug}`]);
  const member = sim.users.member;
  const put = await fetch(`${process.env.E2E_BASE_URL}/api/v1/clouds/${slug}/credential`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      type: 'password',
      auth_url: `${sim.keystoneUrl}/v3`,
      username: member.name,
      user_domain_name: 'Default',
      password: member.password,
      project_id: member.projectId,
      allow_private_addresses: true,
    }),
  });
  expect(put.status).toBe(200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-e2e-cfg-'));
  const file = path.join(dir, 'configs.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      [slug]: simulatorCloud(sim, 'member', { timeouts: { connectMs: 2_000, headersMs: 10_000, bodyMs: 10_000 } }),
    }),
    { mode: 0o600 },
  );
  worker = await startWorkerProcess('tests/integration/support/worker-child.ts', { RUNS_CONFIG_FILE: file });
});

test.afterAll(async () => {
  await worker?.stop();
  await sim?.stop();
});

test('start a run, watch its progress to the end, and open the diff against the previous run', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, admin().email, admin().password);

  // First run: everything passes.
  await page.goto(`/clouds/${slug}`);
  await page.getByRole('button', { name: 'Run now' }).click();
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  const firstUrl = page.url();
  const live = page.getByTestId('run-live');
  await expect(live.getByTestId('run-status')).toContainText(/queued|running/);
  // Progress moves while the run goes on, with the current step shown.
  await expect(page.getByTestId('current-step')).toContainText('Now:', { timeout: 20_000 });
  await expect(page.getByTestId('progress-count')).not.toHaveText(/^0 of/, { timeout: 20_000 });
  // A reload mid-run picks up where the run is.
  const before = Number((await page.getByTestId('progress-count').textContent())!.split(' ')[0]);
  await page.reload();
  const after = Number((await page.getByTestId('progress-count').textContent())!.split(' ')[0]);
  expect(after).toBeGreaterThanOrEqual(before);
  await expect(live.getByTestId('run-status')).toContainText('finished', { timeout: 60_000 });
  await expect(page.getByTestId('progress-count')).toHaveText(/^(\d+) of \1 checks done/);
  // The evidence timeline is there, collapsed.
  const permissions = page.getByTestId('result-scs-0116-permissions');
  await expect(permissions).toContainText('PASS');
  const evidence = permissions.getByTestId('evidence');
  await expect(evidence).not.toHaveAttribute('open', '');
  await evidence.locator('summary').first().click();
  await expect(evidence).toContainText('POST');
  await expect(page.getByText('This is the first finished run of this cloud.')).toBeVisible();

  // The cloud changes: a member may no longer create secrets (the first matching fault applies).
  sim.faults.clear();
  sim.addFault({
    service: 'barbican',
    method: 'POST',
    path: '/v1/secrets',
    action: { kind: 'status', status: 403, body: '{"title":"Forbidden"}', contentType: 'application/json' },
  });
  sim.addFault({ service: 'barbican', action: { kind: 'latency', ms: 120 } });
  await page.goto(`/clouds/${slug}`);
  // No attestation yet: the headline (full profile) is MISS, the official SCS verdict PASS.
  await expect(page.getByTestId('official-status')).toHaveAttribute('data-status', 'PASS');
  await page.getByRole('button', { name: 'Run now' }).click();
  await page.waitForURL((u) => /\/runs\/[0-9a-f-]{36}$/.test(u.pathname) && u.toString() !== firstUrl);
  await expect(page.getByTestId('run-live').getByTestId('run-status')).toContainText('finished', { timeout: 60_000 });
  const diff = page.getByTestId('diff');
  await expect(diff).toBeVisible();
  await expect(diff).toContainText('scs-0116-permissions');
  await expect(diff).toContainText('FAIL');
  await diff.getByRole('link', { name: 'previous run' }).click();
  await expect(page).toHaveURL(firstUrl);
});
