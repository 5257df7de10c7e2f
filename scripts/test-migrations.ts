// `npm run test:migrations`: the migrations of this checkout keep every existing cloud, run,
// result, attestation and certificate. On a temporary embedded PostgreSQL, the previous main
// (MIGRATION_BASE, default 5d88dbc: the base of the issue-11 work; git archive of that commit, with
// this checkout's node_modules) applies its own migrations and fills the database with
// `npm run seed:demo`; then this checkout's migrations are applied to it. Every row of the kept
// tables must be unchanged in the columns both versions have (counts and an md5 over all rows, per
// table, plus a sample of rows compared field by field), and the current code must evaluate every
// cloud from the migrated data. Prints "N passed, N failed"; exit code 1 on any failure.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase } from '../lib/db/embedded';

const ROOT = path.resolve(import.meta.dirname, '..');
const BASE = process.env.MIGRATION_BASE || '5d88dbc';

/**
 * Columns both versions have, per table, and the key that orders the rows. `grows`: rows may be added
 * (rows moved in from a table that is gone), so only the rows there before are compared.
 */
const KEPT: Record<string, { key: string; columns: string[]; grows?: boolean }> = {
  Organization: { key: 'id', columns: ['id', 'slug', 'name', '"contactEmails"', '"archivedAt"', '"createdAt"'] },
  User: { key: 'id', columns: ['id', 'email', 'name', '"passwordHash"', 'role', 'active', '"createdAt"'] },
  Membership: { key: '"userId", "organizationId"', columns: ['"userId"', '"organizationId"', '"createdAt"'] },
  Cloud: {
    key: 'id',
    columns: [
      'id',
      'slug',
      'name',
      'description',
      '"organizationId"',
      'region',
      'public',
      '"contactEmails"',
      '"archivedAt"',
      '"createdAt"',
      'schedule',
      '"nextRunAt"',
    ],
  },
  Run: {
    key: 'id',
    columns: [
      'id',
      '"cloudId"',
      'status',
      'trigger',
      'testcases',
      '"queuedAt"',
      '"startedAt"',
      '"finishedAt"',
      'roles',
      'report',
      'error',
      '"namePrefix"',
      'claims',
    ],
  },
  RunResult: {
    key: 'id',
    columns: [
      'id',
      '"runId"',
      '"cloudId"',
      'testcase',
      'verdict',
      'message',
      'details',
      '"durationMs"',
      '"checkedAt"',
      'evidence',
    ],
  },
  Attestation: {
    key: 'id',
    columns: [
      'id',
      '"cloudId"',
      'revision',
      'state',
      'standard',
      'statement',
      '"createdByLabel"',
      '"createdAt"',
      '"submittedAt"',
      '"decidedAt"',
      '"approvedAt"',
      '"expiresAt"',
    ],
  },
  Certificate: {
    key: 'id',
    columns: [
      'id',
      '"cloudId"',
      'standard',
      '"grantedAt"',
      '"validUntil"',
      '"grantedByLabel"',
      '"revokedAt"',
      '"revokedReason"',
    ],
  },
  Credential: {
    key: 'id',
    columns: ['id', '"cloudId"', 'persona', 'principal', '"authUrl"', 'region', 'ciphertext', '"kekId"'],
  },
  Notification: {
    key: 'id',
    columns: ['id', '"cloudId"', 'kind::text', '"runId"', '"fromStatus"', '"toStatus"', 'subject', 'body', 'data'],
    grows: true,
  },
  NotificationDelivery: {
    key: 'id',
    columns: [
      'id',
      '"notificationId"',
      'channel::text',
      'target',
      '"webhookId"',
      'status::text',
      'attempts',
      'log',
      '"lastError"',
      '"createdAt"',
      '"deliveredAt"',
    ],
  },
  Webhook: { key: 'id', columns: ['id', '"organizationId"', 'url', 'active', '"createdAt"'] },
  AuditEvent: { key: 'id', columns: ['id', 'at', 'action', '"targetType"', '"targetId"', 'summary'] },
};

/** A notification message as both outboxes hold it (NotificationOutbox before, Notification after). */
interface MessageRow {
  dedupeKey: string;
  kind: string;
  cloud: string | null;
  subject: string;
  body: string;
  data: unknown;
}

interface TableState {
  /** The listed columns the table had before the migrations (the older base may lack some). */
  columns: string[];
  count: number;
  md5: string | null;
  sample: unknown[];
  ids: string[];
}

async function columnsOf(client: pg.Client, table: string): Promise<Set<string>> {
  const r = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1`, [table]);
  return new Set(r.rows.map((row) => row.column_name as string));
}

async function state(client: pg.Client, before?: Record<string, TableState>): Promise<Record<string, TableState>> {
  const out: Record<string, TableState> = {};
  for (const [table, { key, columns: listed, grows }] of Object.entries(KEPT)) {
    const present = await columnsOf(client, table);
    const columns = before
      ? before[table].columns
      : listed.filter((c) => present.has(c.replace(/::\w+$/, '').replace(/"/g, '')));
    const cols = columns.map((c, i) => `${c} AS c${i}`).join(', ');
    const names = columns.map((_, i) => `c${i}`).join(', ');
    // Of a table that grows, the rows that were there before.
    const ids = grows && before ? before[table].ids : null;
    const from = `(SELECT ${cols}, ${key.replace(/(^|, )/g, '$1t.')} FROM "${table}" t${ids ? ' WHERE t.id::text = ANY($1)' : ''}) r`;
    const params = ids ? [ids] : [];
    const [agg] = (
      await client.query(
        `SELECT count(*)::int AS count, md5(string_agg(row(${names})::text, E'\\n' ORDER BY ${key})) AS md5 FROM ${from}`,
        params,
      )
    ).rows;
    // A sample spread over the table: every n-th row, at most 20.
    const sample = (
      await client.query(
        `SELECT ${names} FROM (SELECT ${names}, row_number() OVER (ORDER BY ${key}) AS n, count(*) OVER () AS total FROM ${from}) t
          WHERE (n - 1) % GREATEST(1, total / 20) = 0 ORDER BY n LIMIT 20`,
        params,
      )
    ).rows;
    const rowIds =
      grows && !before ? (await client.query(`SELECT id::text AS id FROM "${table}"`)).rows.map((r) => r.id) : [];
    out[table] = { columns, count: agg.count, md5: agg.md5, sample, ids: rowIds };
  }
  return out;
}

const outcomes: Array<{ name: string; ok: boolean; detail: string }> = [];
function record(name: string, ok: boolean, detail = ''): void {
  outcomes.push({ name, ok, detail });
  process.stderr.write(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}\n`);
}

function run(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string>; input?: Buffer }): string {
  return execFileSync(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

async function main(): Promise<number> {
  const t0 = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-migrations-'));
  fs.chmodSync(tmp, 0o755);
  const old = path.join(tmp, 'previous');
  const dataDir = path.join(tmp, 'data');
  let database: Awaited<ReturnType<typeof startEmbeddedDatabase>> | undefined;
  let hookSecret = '';
  try {
    // 1. The previous main's tree, with this checkout's node_modules and its own generated client.
    const commit = run('git', ['rev-parse', '--verify', `${BASE}^{commit}`], { cwd: ROOT }).trim();
    fs.mkdirSync(old);
    run('tar', ['-x', '-C', old], {
      cwd: ROOT,
      input: execFileSync('git', ['archive', '--format=tar', commit], { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 }),
    });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(old, 'node_modules'));
    run(process.execPath, [path.join(ROOT, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'], {
      cwd: old,
      env: { PRISMA_SCHEMA_ENGINE_BINARY: '/bin/false' },
    });
    record(`the previous main ${commit.slice(0, 7)} unpacked`, true, old);

    // 2. Its migrations and its demo data, on a fresh database.
    database = await startEmbeddedDatabase({ dataDir });
    const env = { DATABASE_URL: database.url, DATA_DIR: dataDir, KEK_PROVIDER: 'file' };
    const seeded = run(process.execPath, ['--import', 'tsx', 'scripts/seed-demo.ts'], { cwd: old, env });
    record(
      'npm run seed:demo of the previous main',
      /days of runs/.test(seeded),
      seeded.trim().split('\n').slice(-2).join(' | '),
    );
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // A credential like the app stores it (the envelope's bytes do not matter here), set ten days
      // ago: the runs since then used it, so the migration records its endpoint on them.
      await client.query(
        `INSERT INTO "Credential" (id, "cloudId", persona, "authType", principal, "authUrl", region, fingerprint,
                                   ciphertext, nonce, tag, "wrappedKey", "kekId", "formatVersion", "setByLabel", "setAt")
         SELECT gen_random_uuid(), id, 'primary', 'password', 'demo', 'https://Keystone.Demo.example:443/v3/', 'RegionOne', 'abcd',
                '\\x00', '\\x00', '\\x00', '\\x00', 'file:demo', 1, 'test-migrations', now() - interval '10 days'
           FROM "Cloud" WHERE slug = 'demo-nord-fra1'`,
      );
      // The notifications of the previous main's two pipelines: a webhook with its signing secret in
      // plain text, a status change handed on from NotificationOutbox (its Notification with a
      // delivery and that delivery's log), and messages no worker handed on yet (a status change, a
      // review outcome). The older base has no `data` on either table.
      hookSecret = `whsec_${randomBytes(32).toString('base64')}`;
      const withData = (await columnsOf(client, 'NotificationOutbox')).has('data');
      const facts = (from: string, to: string) =>
        JSON.stringify({ from, to, official: { from, to, version: 'scs-compatible-iaas/v5.1' }, runId: null });
      const [dataCol, dataArg] = withData ? [', data', ', $2::jsonb'] : ['', ''];
      await client.query(
        `WITH o AS (SELECT id FROM "Organization" WHERE slug = 'demo-nordcloud'),
              c AS (SELECT id, "organizationId" FROM "Cloud" WHERE slug = 'demo-nord-fra1'),
              w AS (INSERT INTO "Webhook" (id, "organizationId", url, secret, events)
                    SELECT gen_random_uuid(), o.id, 'https://hooks.demo.example/scs', $1, ARRAY['status-change'] FROM o RETURNING id),
              m AS (INSERT INTO "NotificationOutbox" (id, kind, "organizationId", "cloudId", subject, body, "dedupeKey"${dataCol}, "createdAt", "deliveredAt")
                    SELECT gen_random_uuid(), 'status-change', c."organizationId", c.id, 'demo-nord-fra1: SCS v5.1 MISS -> PASS',
                           'The status of cloud Nord FRA1 (demo-nord-fra1) changed.', 'status-change:' || c.id || ':999'${dataArg},
                           now() - interval '2 days', now() - interval '2 days' FROM c RETURNING id),
              n AS (INSERT INTO "Notification" (id, "cloudId", kind, "fromStatus", "toStatus", subject, body${dataCol}, "createdAt")
                    SELECT gen_random_uuid(), c.id, 'status-change', 'MISS', 'PASS', 'demo-nord-fra1: SCS v5.1 MISS -> PASS',
                           'The status of cloud Nord FRA1 (demo-nord-fra1) changed.'${dataArg}, now() - interval '2 days' FROM c RETURNING id)
         INSERT INTO "NotificationDelivery" (id, "notificationId", channel, target, "webhookId", status, attempts, log, "createdAt", "deliveredAt")
         SELECT gen_random_uuid(), n.id, 'webhook', 'https://hooks.demo.example/scs', w.id, 'delivered', 2,
                '[{"at": "2026-12-01T10:00:00.000Z", "ok": false, "statusCode": 503, "durationMs": 10}, {"at": "2026-12-01T10:00:31.000Z", "ok": true, "statusCode": 204, "durationMs": 8}]'::jsonb,
                now() - interval '2 days', now() - interval '2 days' FROM n, w`,
        withData ? [hookSecret, facts('MISS', 'PASS')] : [hookSecret],
      );
      await client.query(
        `INSERT INTO "NotificationOutbox" (id, kind, "organizationId", "cloudId", subject, body, "dedupeKey"${dataCol}, "createdAt")
         SELECT gen_random_uuid(), k.kind, c."organizationId", c.id, k.subject, 'waiting', k.key || c.id${withData ? ', k.data::jsonb' : ''}, now() - interval '1 hour'
           FROM "Cloud" c, (VALUES ('status-change', 'demo-nord-fra1: SCS v5.1 PASS -> FAIL', 'status-change:', $1::text),
                                   ('attestation.reviewed', 'Key-manager attestation for Nord FRA1 approved', 'attestation:review:', NULL))
                           AS k(kind, subject, key, data)
          WHERE c.slug = 'demo-nord-fra1'`,
        [facts('PASS', 'FAIL')],
      );
      const runHadEndpoint = (await columnsOf(client, 'Run')).has('authUrl');
      const outbox = (
        await client.query(
          `SELECT "dedupeKey", kind, "cloudId"::text AS cloud, subject, body, ${withData ? 'data' : 'NULL::jsonb AS data'}, "deliveredAt" IS NOT NULL AS handed FROM "NotificationOutbox" ORDER BY "dedupeKey"`,
        )
      ).rows as Array<MessageRow & { handed: boolean }>;
      const before = await state(client);
      const oldWords = (
        await client.query(
          `SELECT count(*)::int AS n FROM "ComplianceSnapshot" WHERE status IN ('MISSING', 'INCONCLUSIVE')`,
        )
      ).rows[0].n;

      // 3. This checkout's migrations on top.
      const applied = run(process.execPath, ['--import', 'tsx', 'scripts/db-migrate.ts', 'deploy'], { cwd: ROOT, env });
      record('the current migrations apply to the previous main database', /applied /.test(applied), applied.trim());
      const after = await state(client, before);
      for (const table of Object.keys(KEPT)) {
        const b = before[table];
        const a = after[table];
        record(
          `${table}: every row kept (${b.count} rows)`,
          a.count === b.count && a.md5 === b.md5 && JSON.stringify(a.sample) === JSON.stringify(b.sample),
          `before ${b.count} rows md5 ${b.md5?.slice(0, 12)}, after ${a.count} rows md5 ${a.md5?.slice(0, 12)}, ${b.sample.length} sample rows compared`,
        );
      }
      // The second outbox moved into Notification: every message under its dedupe key, with its text and
      // facts; those never handed on are queued for the dispatcher, the handed-on one stayed delivered.
      const EVENT: Record<string, string> = {
        'attestation.expiry-reminder': 'attestation-expiry',
        'attestation.reviewed': 'attestation-reviewed',
      };
      const moved = (
        await client.query(
          `SELECT "dedupeKey", kind::text AS kind, "cloudId"::text AS cloud, subject, body, data, status::text AS status
             FROM "Notification" WHERE "dedupeKey" = ANY($1)`,
          [outbox.map((o) => o.dedupeKey)],
        )
      ).rows as Array<MessageRow & { status: string }>;
      const byKey = new Map(moved.map((m) => [m.dedupeKey, m]));
      const lost = outbox.filter((o) => {
        const m = byKey.get(o.dedupeKey);
        return (
          !m ||
          m.kind !== (EVENT[o.kind] ?? o.kind) ||
          m.cloud !== o.cloud ||
          m.subject !== o.subject ||
          m.body !== o.body ||
          JSON.stringify(m.data) !== JSON.stringify(o.data) ||
          m.status !== (o.handed ? 'dispatched' : 'queued')
        );
      });
      const outboxGone = (await client.query(`SELECT to_regclass('"NotificationOutbox"') IS NULL AS gone`)).rows[0]
        .gone;
      record(
        `NotificationOutbox: every message moved into the one outbox (${outbox.length} messages, ${outbox.filter((o) => !o.handed).length} waiting)`,
        outbox.some((o) => o.handed) && outbox.some((o) => !o.handed) && lost.length === 0 && outboxGone,
        lost.length
          ? `not moved as they were: ${lost.map((o) => o.dedupeKey).join(', ')}`
          : `table dropped: ${outboxGone}`,
      );
      const plain = (
        await client.query(
          `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'Webhook' AND column_name = 'secret'`,
        )
      ).rows[0].n;
      const dump = JSON.stringify((await client.query(`SELECT row_to_json(w)::text AS r FROM "Webhook" w`)).rows);
      record(
        'webhook signing secrets are sealed (no plain-text column, the secret in no column)',
        plain === 0 && !dump.includes(hookSecret) && !dump.includes(hookSecret.slice('whsec_'.length)),
      );
      for (const t of ['Cloud', 'Run', 'RunResult', 'Attestation', 'Certificate'])
        record(`${t}: the demo data has some`, before[t].count > 0, `${before[t].count}`);
      const words = (
        await client.query(
          `SELECT count(*)::int AS n FROM "ComplianceSnapshot" WHERE status IN ('MISSING', 'INCONCLUSIVE')`,
        )
      ).rows[0].n;
      record(
        'stored statuses speak the one scale (PASS, FAIL, MISS, DNF)',
        words === 0,
        `${oldWords} snapshots had the old words, ${words} left`,
      );
      const gone = (
        await client.query(
          `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'Cloud' AND column_name IN ('status', 'statusDetail', 'statusChangedAt')`,
        )
      ).rows[0].n;
      record('the second status model is gone (Cloud.status, statusDetail, statusChangedAt)', gone === 0);
      const endpoints = (
        await client.query(
          `SELECT (r."queuedAt" >= cr."setAt") AS since, r."authUrl", r.region, count(*)::int AS n
             FROM "Run" r JOIN "Credential" cr ON cr."cloudId" = r."cloudId" GROUP BY 1, 2, 3 ORDER BY 1`,
        )
      ).rows as Array<{ since: boolean; authUrl: string | null; region: string | null; n: number }>;
      record(
        'runs made with the current credential record its endpoint (normalized), older runs stay unrecorded',
        runHadEndpoint ||
          (endpoints.length === 2 &&
            endpoints[0].since === false &&
            endpoints[0].authUrl === null &&
            endpoints[1].since === true &&
            endpoints[1].authUrl === 'https://keystone.demo.example' &&
            endpoints[1].region === 'RegionOne'),
        runHadEndpoint ? 'the base recorded endpoints already' : JSON.stringify(endpoints),
      );
      const subjects = (
        await client.query(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE "scsSubject" = slug)::int AS slug,
                  (SELECT count(*)::int FROM "Run" WHERE source = 'dashboard') AS dashboard FROM "Cloud"`,
        )
      ).rows[0] as { n: number; slug: number; dashboard: number };
      record(
        'every migrated cloud has its slug as SCS subject, every migrated run is a dashboard run (interop)',
        subjects.n > 0 && subjects.slug === subjects.n && subjects.dashboard === after.Run.count,
        `${subjects.slug}/${subjects.n} clouds, ${subjects.dashboard} dashboard runs`,
      );
    } finally {
      await client.end();
    }

    // 4. The current code reads the migrated data: every cloud gets a status again.
    const evaluated = run(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { db } = await import('./lib/db/index.ts');
         const { complianceOf } = await import('./lib/compliance/snapshot.ts');
         const { cloudSelect } = await import('./lib/compliance/evaluate.ts');
         const clouds = await db.cloud.findMany({ select: cloudSelect });
         const all = await complianceOf(clouds);
         // The sealed webhook secrets open with this process's vault to the one they were (printed: whether).
         const { openWebhookSecret } = await import('./lib/notify/secrets.ts');
         const hooks = await db.webhook.findMany();
         const opened = await Promise.all(hooks.map(async (h) => (await openWebhookSecret(h)) === process.env.EXPECTED_HOOK_SECRET));
         console.log(JSON.stringify(opened));
         console.log(JSON.stringify(all.map((c) => [c.cloud.slug, c.status, c.official?.status ?? null])));
         await db.$disconnect();`,
      ],
      { cwd: ROOT, env: { ...env, EXPECTED_HOOK_SECRET: hookSecret } },
    );
    const lines = evaluated.trim().split('\n');
    const statuses = JSON.parse(lines.at(-1)!) as Array<[string, string, string | null]>;
    const opened = JSON.parse(lines.at(-2)!) as boolean[];
    record(
      'the sealed webhook secret opens to the plain-text one it was',
      opened.length === 1 && opened[0] === true,
      `${opened.length} webhook(s)`,
    );
    record(
      'the current code evaluates every migrated cloud',
      statuses.length > 0 && statuses.every(([, s, o]) => ['PASS', 'FAIL', 'MISS', 'DNF'].includes(s) && o !== null),
      statuses.map(([slug, s, o]) => `${slug} ${s}/${o}`).join(', '),
    );
  } catch (err) {
    record('test:migrations ran to the end', false, err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await database?.stop().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const failed = outcomes.filter((o) => !o.ok);
  for (const o of failed) process.stdout.write(`FAILED: ${o.name}${o.detail ? `: ${o.detail}` : ''}\n`);
  process.stdout.write(`test:migrations finished in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`${outcomes.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
