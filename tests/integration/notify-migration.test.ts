// The notification pipeline's migration on a database with data: a scratch database in the test
// cluster is migrated to the schema before it, filled with what the two old pipelines wrote
// (notifications with their delivery history, bridged and unbridged outbox messages, among them
// status changes the stored snapshot queued with their data, never delivered review outcomes,
// webhooks, preferences), then migrated on. Nothing may be lost.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, migrationsDir } from '../../lib/db/migrate';
import { openWebhookSecret } from '../../lib/notify/secrets';
import { isolatedVault } from './support/fixtures';

const ALL = fs
  .readdirSync(migrationsDir)
  .filter((d) => /^\d{14}_/.test(d))
  .sort();
const PIPELINE = ALL.find((d) => d.endsWith('_notification_pipeline'))!;
const BEFORE_PIPELINE = ALL[ALL.indexOf(PIPELINE) - 1]!;
const SEALED = fs.readdirSync(migrationsDir).find((d) => d.endsWith('_webhook_secret_sealed'))!;
const ENVELOPE = fs.readdirSync(migrationsDir).find((d) => d.endsWith('_webhook_secret_envelope'))!;
isolatedVault();
const legacySecrets = [
  `whsec_${randomBytes(24).toString('base64url')}`,
  `whsec_${randomBytes(24).toString('base64url')}`,
];

let admin: pg.Client;
let url = '';
let client: pg.Client;
const dbName = `mig_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(process.env.DATABASE_URL!);
  u.pathname = `/${dbName}`;
  url = u.toString();
  await applyMigrations(url, { until: BEFORE_PIPELINE });
  client = new pg.Client({ connectionString: url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

const ids = {
  org: randomUUID(),
  cloud: randomUUID(),
  user: randomUUID(),
  run: randomUUID(),
  run2: randomUUID(),
  run3: randomUUID(),
  bridgedStatus: randomUUID(),
  unbridgedStatus: randomUUID(),
  orphanStatus: randomUUID(),
  statusNote: randomUUID(),
  delivered: randomUUID(),
  pending: randomUUID(),
  reminderNote: randomUUID(),
  certNote30: randomUUID(),
  certNote7: randomUUID(),
  reviewOutbox: randomUUID(),
  unbridgedOutbox: randomUUID(),
  hookAll: randomUUID(),
  hookStatus: randomUUID(),
};
const log = [
  { at: '2026-11-01T10:00:00.000Z', ok: false, statusCode: 503, error: 'the receiver answered 503', durationMs: 12 },
  { at: '2026-11-01T10:00:31.000Z', ok: true, statusCode: 204, durationMs: 9 },
];

async function fillOldSchema() {
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  await q(
    `INSERT INTO "Organization" (id, slug, name, "contactEmails", "updatedAt") VALUES ($1, 'mig-org', 'Mig Org', ARRAY['ops@mig.example'], now())`,
    [ids.org],
  );
  await q(
    `INSERT INTO "Cloud" (id, slug, name, "organizationId", "updatedAt") VALUES ($1, 'mig-cloud', 'Mig', $2, now())`,
    [ids.cloud, ids.org],
  );
  await q(`INSERT INTO "User" (id, email, role, "updatedAt") VALUES ($1, 'u@mig.example', 'csp', now())`, [ids.user]);
  await q(
    `INSERT INTO "NotificationPreference" ("userId", "statusChanges", "attestationExpiry", "updatedAt") VALUES ($1, false, true, now())`,
    [ids.user],
  );
  // A status change with its delivery history: one webhook delivered after a retry, one e-mail pending.
  await q(
    `INSERT INTO "Notification" (id, "cloudId", kind, "runId", "fromStatus", "toStatus", subject, body, "createdAt")
     VALUES ($1, $2, 'status-change', $3, 'PASS', 'FAIL', 'mig-cloud: status PASS -> FAIL', 'now FAIL', '2026-11-01T10:00:00Z')`,
    [ids.statusNote, ids.cloud, ids.run],
  );
  await q(
    `INSERT INTO "Webhook" (id, "organizationId", url, secret, events) VALUES
       ($1, $3, 'https://hooks.mig.example/all', $4, ARRAY['status-change', 'attestation-expiry', 'certificate-expiry']),
       ($2, $3, 'https://hooks.mig.example/status', $5, ARRAY['status-change'])`,
    [ids.hookAll, ids.hookStatus, ids.org, ...legacySecrets],
  );
  await q(
    `INSERT INTO "NotificationDelivery" (id, "notificationId", channel, target, "webhookId", status, attempts, log, "lastError", "createdAt", "deliveredAt")
     VALUES ($1, $3, 'webhook', 'https://hooks.mig.example/all', $4, 'delivered', 2, $5::jsonb, NULL, '2026-11-01T10:00:00Z', '2026-11-01T10:00:31Z'),
            ($2, $3, 'email', 'ops@mig.example', NULL, 'pending', 1, '[]'::jsonb, 'SMTP delivery failed (EAUTH)', '2026-11-01T10:00:00Z', NULL)`,
    [ids.delivered, ids.pending, ids.statusNote, ids.hookAll, JSON.stringify(log)],
  );
  // An attestation reminder and a certificate's two reminders (same text) that were bridged.
  const reminder = ['Key-manager attestation for Mig expires in 14 days', 'The approved attestation ... expires.'];
  const cert = ['Certificate of Mig expires on 2027-01-31', 'The scs-0116-v1 certificate of Mig is valid until ...'];
  await q(
    `INSERT INTO "NotificationOutbox" (id, kind, "organizationId", "cloudId", subject, body, "dedupeKey", "createdAt", "deliveredAt") VALUES
       (gen_random_uuid(), 'attestation.expiry-reminder', $1, $2, $3, $4, 'attestation:a1:expiry-14d', '2026-11-02T00:00:00Z', '2026-11-02T00:23:00Z'),
       (gen_random_uuid(), 'certificate-expiry', $1, $2, $5, $6, 'certificate-expiry:c1:30d', '2026-11-03T00:00:00Z', '2026-11-03T00:23:00Z'),
       (gen_random_uuid(), 'certificate-expiry', $1, $2, $5, $6, 'certificate-expiry:c1:7d', '2026-11-04T00:00:00Z', '2026-11-04T00:23:00Z')`,
    [ids.org, ids.cloud, ...reminder, ...cert],
  );
  await q(
    `INSERT INTO "Notification" (id, "cloudId", kind, "toStatus", subject, body, "createdAt") VALUES
       ($1, $2, 'attestation-expiry', 'expiring', $3, $4, '2026-11-02T00:23:01Z'),
       ($5, $2, 'certificate-expiry', 'expiring', $6, $7, '2026-11-03T00:23:01Z'),
       ($8, $2, 'certificate-expiry', 'expiring', $6, $7, '2026-11-04T00:23:01Z')`,
    [ids.reminderNote, ids.cloud, ...reminder, ids.certNote30, ...cert, ids.certNote7],
  );
  // Never delivered: a review outcome, and a reminder the bridge had not picked up yet.
  await q(
    `INSERT INTO "NotificationOutbox" (id, kind, "organizationId", "cloudId", subject, body, "dedupeKey", "createdAt") VALUES
       ($1, 'attestation.reviewed', $3, $4, 'Key-manager attestation for Mig approved', 'Revision 1 ... approved.', 'attestation:a1:review-r1', '2026-11-05T00:00:00Z'),
       ($2, 'attestation.expiry-reminder', $3, $4, 'Key-manager attestation for Mig expires in 1 day', '...', 'attestation:a1:expiry-1d', '2026-11-06T00:00:00Z')`,
    [ids.reviewOutbox, ids.unbridgedOutbox, ids.org, ids.cloud],
  );
  // Status changes queued by the snapshot store: one bridged (its Notification carries the data),
  // one still waiting; and a later status note of an old run no outbox message stands for.
  const bridged = ['mig-cloud: scs-0116-v1 FAIL -> PASS', 'The status of cloud Mig (mig-cloud) changed.'];
  const bridgedData = {
    from: 'FAIL',
    to: 'PASS',
    official: { from: 'FAIL', to: 'PASS', version: 'v5.1' },
    runId: ids.run2,
  };
  const waitingData = {
    from: 'PASS',
    to: 'FAIL',
    official: { from: 'PASS', to: 'FAIL', version: 'v5.1' },
    runId: ids.run3,
  };
  await q(
    `INSERT INTO "NotificationOutbox" (id, kind, "organizationId", "cloudId", subject, body, "dedupeKey", data, "createdAt", "deliveredAt") VALUES
       (gen_random_uuid(), 'status-change', $1, $2, $3, $4, $5, $6::jsonb, '2026-11-07T00:00:00Z', '2026-11-07T00:00:05Z'),
       ($7, 'status-change', $1, $2, 'mig-cloud: scs-0116-v1 PASS -> FAIL', 'now FAIL again', $8, $9::jsonb, '2026-11-08T00:00:00Z', NULL)`,
    [
      ids.org,
      ids.cloud,
      ...bridged,
      `status-change:${ids.cloud}:2`,
      JSON.stringify(bridgedData),
      ids.unbridgedStatus,
      `status-change:${ids.cloud}:3`,
      JSON.stringify(waitingData),
    ],
  );
  await q(
    `INSERT INTO "Notification" (id, "cloudId", kind, "runId", "fromStatus", "toStatus", subject, body, data, "createdAt") VALUES
       ($1, $2, 'status-change', $3, 'FAIL', 'PASS', $4, $5, $6::jsonb, '2026-11-07T00:00:05Z'),
       ($7, $2, 'status-change', $8, 'PASS', 'FAIL', 'mig-cloud: time', 'expired', NULL, '2026-11-09T00:00:00Z')`,
    [ids.bridgedStatus, ids.cloud, ids.run2, ...bridged, JSON.stringify(bridgedData), ids.orphanStatus, ids.run],
  );
}

describe('the notification pipeline migration', () => {
  it('moves both pipelines into one outbox without losing a message or a delivery record', async () => {
    await fillOldSchema();
    const applied = await applyMigrations(url);
    expect(applied[0]).toBe(PIPELINE);
    expect(applied).toContain(SEALED);

    const notes = (
      await client.query(
        `SELECT id::text, kind::text, "organizationId"::text AS org, "cloudId"::text AS cloud, "runId"::text AS run,
                "fromStatus", "toStatus", subject, "dedupeKey", status::text, data
         FROM "Notification" ORDER BY "createdAt", "dedupeKey"`,
      )
    ).rows;
    expect(notes.map((n) => [n.kind, n.dedupeKey, n.status])).toEqual([
      ['status-change', `run:${ids.run}:status-change`, 'dispatched'],
      ['attestation-expiry', 'attestation:a1:expiry-14d', 'dispatched'],
      ['certificate-expiry', 'certificate-expiry:c1:30d', 'dispatched'],
      ['certificate-expiry', 'certificate-expiry:c1:7d', 'dispatched'],
      ['attestation-reviewed', 'attestation:a1:review-r1', 'queued'],
      ['attestation-expiry', 'attestation:a1:expiry-1d', 'queued'],
      ['status-change', `status-change:${ids.cloud}:2`, 'dispatched'],
      ['status-change', `status-change:${ids.cloud}:3`, 'queued'],
      ['status-change', `notification:${ids.orphanStatus}`, 'dispatched'],
    ]);
    // The bridged ones kept their Notification ids (their deliveries point there); the others
    // kept their outbox ids.
    expect(notes.map((n) => n.id)).toEqual([
      ids.statusNote,
      ids.reminderNote,
      ids.certNote30,
      ids.certNote7,
      ids.reviewOutbox,
      ids.unbridgedOutbox,
      ids.bridgedStatus,
      ids.unbridgedStatus,
      ids.orphanStatus,
    ]);
    expect(notes.every((n) => n.org === ids.org && n.cloud === ids.cloud)).toBe(true);
    expect(notes[0]).toMatchObject({ run: ids.run, fromStatus: 'PASS', toStatus: 'FAIL' });
    // A waiting status change keeps its facts: the statuses and the run from its data, and the data.
    expect(notes[7]).toMatchObject({ run: ids.run3, fromStatus: 'PASS', toStatus: 'FAIL' });
    expect(notes[7].data).toMatchObject({ official: { from: 'PASS', to: 'FAIL', version: 'v5.1' }, runId: ids.run3 });
    expect(notes[6]).toMatchObject({ run: ids.run2, fromStatus: 'FAIL', toStatus: 'PASS' });
    expect(notes[6].data).toMatchObject({ runId: ids.run2 });

    const deliveries = (
      await client.query(
        `SELECT id::text, channel::text, status::text, attempts, log, "lastError", "nextAttemptAt", "deliveredAt"
         FROM "NotificationDelivery" ORDER BY channel DESC`,
      )
    ).rows;
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]).toMatchObject({
      id: ids.delivered,
      channel: 'webhook',
      status: 'delivered',
      attempts: 2,
      log,
    });
    expect(deliveries[0].deliveredAt).toEqual(new Date('2026-11-01T10:00:31Z'));
    expect(deliveries[1]).toMatchObject({
      id: ids.pending,
      channel: 'email',
      status: 'pending',
      attempts: 1,
      lastError: 'SMTP delivery failed (EAUTH)',
    });
    // The dispatcher takes over the pending delivery at once.
    expect(deliveries[1].nextAttemptAt).toBeInstanceOf(Date);

    const hooks = (await client.query(`SELECT id::text, events::text[] AS events FROM "Webhook" ORDER BY url`)).rows;
    expect(hooks).toEqual([
      {
        id: ids.hookAll,
        events: ['status-change', 'attestation-expiry', 'certificate-expiry', 'attestation-reviewed'],
      },
      { id: ids.hookStatus, events: ['status-change'] },
    ]);
    const prefs = (
      await client.query(
        `SELECT "statusChanges", "attestationExpiry", "attestationReviews" FROM "NotificationPreference"`,
      )
    ).rows;
    expect(prefs).toEqual([{ statusChanges: false, attestationExpiry: true, attestationReviews: null }]);
    const outbox = await client.query(`SELECT to_regclass('"NotificationOutbox"') AS t`);
    expect(outbox.rows[0].t).toBeNull();
  });
});

describe('the webhook secret migrations', () => {
  it('sealed every plain-text secret with the vault (above): none is left, each opens to what it was', async () => {
    const cols = await client.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'Webhook' AND column_name = 'secret'`,
    );
    expect(cols.rows).toEqual([]);
    const rows = (await client.query(`SELECT * FROM "Webhook" ORDER BY url`)).rows;
    expect(rows).toHaveLength(2);
    const text = JSON.stringify((await client.query(`SELECT row_to_json(w)::text AS r FROM "Webhook" w`)).rows);
    for (const secret of legacySecrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice('whsec_'.length));
    }
    expect((await Promise.all(rows.map((r) => openWebhookSecret(r)))).sort()).toEqual([...legacySecrets].sort());
    // Bound to its webhook: an envelope copied to the other row does not open there.
    await expect(openWebhookSecret({ ...rows[0], id: rows[1].id })).rejects.toMatchObject({ code: 'tampered' });
  });

  it('refuse to drop a plain-text secret when applied without their data step', async () => {
    const name = `mig_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = `/${name}`;
    const other = new pg.Client({ connectionString: u.toString() });
    try {
      await applyMigrations(u.toString(), { until: ENVELOPE });
      await other.connect();
      await other.query(
        `INSERT INTO "Webhook" (id, url, secret) VALUES (gen_random_uuid(), 'https://h.example', 'whsec_x')`,
      );
      // As another tool would: the migration's SQL alone.
      const sql = fs.readFileSync(path.join(migrationsDir, SEALED, 'migration.sql'), 'utf8');
      await expect(other.query(sql)).rejects.toThrow(/webhook signing secrets are still in plain text/);
      const kept = await other.query(`SELECT secret FROM "Webhook"`);
      expect(kept.rows).toEqual([{ secret: 'whsec_x' }]);
    } finally {
      await other.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
