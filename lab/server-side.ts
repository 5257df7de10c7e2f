// The server side of test:lab: what the dashboard itself does against the real lab, on a real
// (embedded, temporary) PostgreSQL — the vault with the `barbican` KEK provider keeping its KEK in
// the lab's Barbican, importing the lab's clouds.yaml as a cloud's credential, and the
// connection test. Kept apart from test-lab.ts so the checks-only part needs no database.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../lib/db/embedded';
import { applyMigrations } from '../lib/db/migrate';
import { BarbicanClient, HttpClient, KeystoneClient, keyManagerEndpoint } from '../lib/openstack';
import { createBarbicanKek } from '../lib/vault';
import { systemActor } from '../lib/auth/policy';
import type { LabJson } from './lab-control';

type Record = (name: string, ok: boolean, detail?: string) => void;

export async function serverSideAgainstLab(j: LabJson, cloudsYamlPath: string, record: Record): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-lab-db-'));
  const database = await startEmbeddedDatabase({ dataDir });
  const previousEnv = { ...process.env };
  let kekUuid: string | undefined;
  try {
    process.env.DATABASE_URL = database.url;
    await applyMigrations(database.url);
    const appCred = {
      authUrl: j.auth_url,
      applicationCredentialId: j.application_credential.id,
      applicationCredentialSecret: j.application_credential.secret,
      allowPrivateAddresses: true,
    };

    // 1. The dashboard's own KEK lives in the lab's key manager: created once, read at start.
    kekUuid = await createBarbicanKek(appCred, `scs-km-test-lab-kek-${Date.now()}`);
    Object.assign(process.env, {
      KEK_PROVIDER: 'barbican',
      KEK_BARBICAN_AUTH_URL: j.auth_url,
      KEK_BARBICAN_APP_CRED_ID: j.application_credential.id,
      KEK_BARBICAN_APP_CRED_SECRET: j.application_credential.secret,
      KEK_BARBICAN_SECRET: kekUuid,
      KEK_BARBICAN_ALLOW_PRIVATE: 'true',
    });
    const credentials = await import('../lib/credentials');
    credentials.setVault(undefined);
    const vault = await credentials.assertVaultReady();
    record(
      'vault: the barbican KEK provider reads its KEK from the lab',
      vault.provider === 'barbican' && vault.activeKekId.startsWith('barbican:'),
      `${vault.provider}, ${vault.activeKekId}`,
    );

    // 2. A cloud, and the lab's clouds.yaml imported as its credential.
    const ctx = { actor: systemActor('test-lab'), clientAddress: null };
    const { createOrganization } = await import('../lib/organizations');
    const { createCloud } = await import('../lib/clouds');
    await createOrganization(ctx, { slug: 'lab-csp', name: 'Lab CSP' });
    await createCloud(ctx, { slug: 'lab-cloud', name: 'Lab cloud', organization: 'lab-csp', region: j.region });
    const saved = await credentials.setCredential(ctx, 'lab-cloud', {
      clouds_yaml: fs.readFileSync(cloudsYamlPath, 'utf8'),
      cloud: 'lab',
      allow_private_addresses: true,
    });
    const { db } = await import('../lib/db');
    const row = await db.credential.findFirstOrThrow({ where: { cloud: { slug: 'lab-cloud' } } });
    record(
      'credential: clouds.yaml entry "lab" imported and wrapped by the barbican KEK',
      saved.principal === j.users.member.username && row.kekId === vault.activeKekId,
      `${saved.type} ${saved.principal}, KEK ${row.kekId}`,
    );

    // 3. The connection test reports the member's roles and the key-manager endpoint.
    const test = await credentials.testConnection(ctx, 'lab-cloud');
    record(
      "connection test: the member's roles and the key-manager endpoint of the region",
      test.ok &&
        test.roles.includes('member') &&
        test.keyManager?.url.replace(/\/$/, '') === j.barbican.url.replace(/\/$/, ''),
      `roles ${test.roles.join(',')}, key manager ${test.keyManager?.url ?? 'none'}, warnings: ${test.warnings.join(' | ') || 'none'}`,
    );
    const shown = JSON.stringify({ saved, test });
    record(
      'connection test and write-only view carry no lab secret',
      ![j.users.member.password, j.application_credential.secret].some((s) => shown.includes(s)),
    );

    // 4. A scheduled run: the scheduler starts it when the cloud's slot comes, a worker runs it
    //    with the credential from the vault, and the results land in the database.
    const jobs = await import('../lib/jobs');
    const { defaultResolver } = await import('../lib/runs/cloud-config');
    await jobs.setSchedule(ctx, 'lab-cloud', { schedule: 'hourly' });
    const worker = await jobs.startWorker({
      resolver: defaultResolver,
      concurrency: 1,
      housekeeping: false,
      log: () => {},
    });
    try {
      const cloud = await db.cloud.findUniqueOrThrow({ where: { slug: 'lab-cloud' } });
      const started = await jobs.schedulerTick(new Date(cloud.nextRunAt!.getTime() + 1000));
      record('scheduler: the hourly slot starts one run', started.length === 1, `${started.length} run(s) started`);
      const deadline = Date.now() + 180_000;
      let run = await db.run.findUniqueOrThrow({ where: { id: started[0] } });
      while (!['finished', 'cancelled', 'interrupted'].includes(run.status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        run = await db.run.findUniqueOrThrow({ where: { id: started[0] } });
      }
      const results = await db.runResult.findMany({ where: { runId: run.id } });
      const verdict = (id: string) => results.find((r) => r.testcase === id)?.verdict;
      record(
        'scheduled run against the lab: finished, results in the database',
        run.status === 'finished' &&
          run.trigger === 'schedule' &&
          verdict('scs-0116-presence') === 'PASS' &&
          verdict('scs-0116-permissions') === 'PASS',
        `${run.status}, ${results.length} results: ${results.map((r) => `${r.testcase}=${r.verdict}`).join(' ')}`,
      );
      const stored = JSON.stringify(await db.run.findMany({ include: { results: true } }));
      const leaked = [j.users.member.password, j.application_credential.secret].filter((s) => stored.includes(s));
      record(
        'canary: no lab password, application credential secret or token in stored runs and evidence',
        leaked.length === 0 && !/gAAAAA[A-Za-z0-9_\-=]{20,}/.test(stored),
        `${stored.length} bytes of stored runs checked`,
      );
    } finally {
      await worker.stop();
      await jobs.stopBoss();
    }
    await db.$disconnect();
  } finally {
    if (kekUuid) await deleteLabSecret(j, kekUuid).catch(() => {});
    process.env = previousEnv;
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The KEK secret belongs to this test only: remove it from the lab again. */
async function deleteLabSecret(j: LabJson, uuid: string): Promise<void> {
  const http = new HttpClient({ allowPrivateAddresses: true });
  try {
    const session = await new KeystoneClient(http).authenticate({
      type: 'application_credential',
      authUrl: j.auth_url,
      applicationCredentialId: j.application_credential.id,
      applicationCredentialSecret: j.application_credential.secret,
    });
    await new BarbicanClient(http, session, keyManagerEndpoint(j.barbican.url)).deleteSecret(uuid);
  } finally {
    await http.close();
  }
}
