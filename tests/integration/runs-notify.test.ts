// Notifications end to end on real local servers: a run changes a cloud's status, the worker
// fans the one notification out to e-mail (a local SMTP server from the smtp-server package) and
// a webhook (a local HTTP receiver that verifies the Standard Webhooks signature). The first SMTP
// attempt for one chosen address and the first webhook attempt fail; the dispatcher retries both,
// and the delivery log says so. Every wait is for a condition in the database or the receivers (no
// sleep decides an outcome), so a slow, loaded machine only makes it take longer.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, Prisma } from '../../lib/db';
import { refreshWhere } from '../../lib/compliance/snapshot';
import { OpenStackSimulator, simulatorCloud } from '../../lab/simulator';
import { requestRun, startWorker, stopBoss, type RunningWorker } from '../../lib/jobs';
import { createWebhook, listDeliveries, setPreferences } from '../../lib/notify';
import {
  ctxOf,
  cspOf,
  ensureTestUsers,
  makeCloud,
  makeOrg,
  makeUser,
  staff,
  isolatedVault,
  waitFor,
} from './support/fixtures';
import { startSmtp, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './support/receivers';

let smtp: SmtpReceiver;
let receiver: WebhookReceiver;
let receiverFailuresLeft = 1;
let webhookSecret = '';
let sim: OpenStackSimulator;
let worker: RunningWorker;
isolatedVault();

/** A receiver's check, written from the Standard Webhooks specification, not from our code. */
function verifiesStandard(headers: Record<string, string | string[] | undefined>, body: string, secret: string) {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = String(headers['webhook-timestamp'] ?? '');
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  const within = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return (
    within &&
    String(headers['webhook-signature'] ?? '')
      .split(' ')
      .some((s) => {
        const [v, sig] = s.split(',');
        const got = Buffer.from(sig ?? '', 'base64');
        return v === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
      })
  );
}

beforeAll(async () => {
  await ensureTestUsers();
  // The dispatcher below serves the whole database: messages other test files left queued or held
  // (and would now be sent to this file's SMTP server and receiver) are settled first.
  await db.notification.updateMany({ where: { status: 'queued' }, data: { status: 'dispatched' } });
  await db.notificationDelivery.updateMany({
    where: { status: { in: ['pending', 'held'] } },
    data: { status: 'dropped', lastError: 'settled by tests/integration/runs-notify.test.ts' },
  });
  smtp = await startSmtp();
  receiver = await startWebhookReceiver(({ headers, body }) => {
    // The signature of earlier releases, still sent for one release, must verify too.
    const legacy = String(headers['x-scs-signature'] ?? '');
    const expectedLegacy = `sha256=${createHmac('sha256', webhookSecret)
      .update(`${headers['x-scs-timestamp']}.${body}`)
      .digest('hex')}`;
    const valid = verifiesStandard(headers, body, webhookSecret) && legacy === expectedLegacy;
    return !valid ? 401 : receiverFailuresLeft-- > 0 ? 503 : 204;
  });
  process.env.SMTP_URL = smtp.url;
  process.env.SMTP_FROM = 'conformance@test.example';
  process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = 'true';
  process.env.NOTIFY_RETRY_DELAY_S = '1';
  process.env.NOTIFY_RETRY_LIMIT = '3';
  process.env.NOTIFY_POLL_MS = '200';
  sim = await new OpenStackSimulator({ policy: 'creator' }).start();
  worker = await startWorker({
    resolver: async () => simulatorCloud(sim, 'member'),
    concurrency: 2,
    housekeeping: false,
    heartbeatMs: 1000,
    log: () => {},
  });
});

afterAll(async () => {
  await worker?.stop();
  await stopBoss();
  await sim?.stop();
  await smtp?.close();
  await receiver?.close();
  for (const k of [
    'SMTP_URL',
    'SMTP_FROM',
    'WEBHOOK_ALLOW_PRIVATE_ADDRESSES',
    'NOTIFY_RETRY_DELAY_S',
    'NOTIFY_RETRY_LIMIT',
    'NOTIFY_POLL_MS',
  ])
    delete process.env[k];
});

/** The cloud's stored snapshot includes this run: whatever the run changed has been queued (or not) by now. */
async function snapshotIncludes(cloudId: string, runId: string): Promise<boolean> {
  const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
  const s = await db.complianceSnapshot.findUnique({ where: { cloudId } });
  return !!s && s.computedVersion === s.version && s.lastRunAt?.getTime() === run.queuedAt.getTime();
}

describe('notifications', () => {
  it('sends one e-mail per recipient and one signed webhook per status change, retrying failed deliveries', async () => {
    const org = await makeOrg({ contactEmails: ['ops@csp.example'] });
    // The first attempt to this address fails (451 to its RCPT TO), whichever delivery runs first.
    smtp.rejectNext(1, 'ops@csp.example');
    const cloud = await makeCloud(org.id, { contactEmails: ['cloud-team@csp.example'] });
    const member = await makeUser('csp', [org.id]);
    const optedOut = await makeUser('csp', [org.id]);
    const subscribedStaff = await makeUser('reviewer');
    const quietStaff = await makeUser('reviewer');
    await setPreferences(ctxOf(optedOut), { statusChanges: false });
    await setPreferences(ctxOf(subscribedStaff), { statusChanges: 'on' });
    const { secret } = await createWebhook(cspOf(org.id), {
      organization: org.slug,
      url: receiver.url,
    });
    webhookSecret = secret;

    const { run } = await requestRun(
      staff(),
      { slug: cloud.slug },
      { trigger: 'manual', testcases: ['scs-0116-presence', 'scs-0116-permissions'] },
    );
    await waitFor(async () => (await db.run.findUnique({ where: { id: run.id } }))?.status === 'finished', 60_000);
    // The stored status changed: the official verdict of a new cloud went from MISS to PASS (its full
    // profile stays MISS without an attestation), queued in the transaction that stored the snapshot
    // (the worker's, or this reader's: whichever comes first stores it and queues the change once).
    await refreshWhere(Prisma.sql`c.id = ${cloud.id}::uuid`);
    await waitFor(() => snapshotIncludes(cloud.id, run.id), 60_000);
    const notification = await db.notification.findFirstOrThrow({ where: { cloudId: cloud.id } });
    expect(notification).toMatchObject({ kind: 'statusChange', fromStatus: 'MISS', toStatus: 'MISS', runId: run.id });
    expect(notification.subject).toBe(`${cloud.slug}: SCS v5.1 MISS -> PASS`);

    const deliveries = await waitFor(
      async () => {
        const ds = await db.notificationDelivery.findMany({ where: { notificationId: notification.id } });
        return ds.length > 0 && ds.every((d) => d.status !== 'pending') ? ds : null;
      },
      90_000,
      250,
    );
    const emails = deliveries
      .filter((d) => d.channel === 'email')
      .map((d) => d.target)
      .sort();
    expect(emails).toEqual(['cloud-team@csp.example', 'ops@csp.example', member.email, subscribedStaff.email].sort());
    expect(emails).not.toContain(optedOut.email);
    expect(emails).not.toContain(quietStaff.email);
    expect(deliveries.every((d) => d.status === 'delivered')).toBe(true);
    // The rejected RCPT was retried; every other address got its mail at the first attempt.
    const attempts = Object.fromEntries(
      deliveries.filter((d) => d.channel === 'email').map((d) => [d.target, d.attempts]),
    );
    expect(attempts).toEqual({
      'ops@csp.example': 2,
      'cloud-team@csp.example': 1,
      [member.email]: 1,
      [subscribedStaff.email]: 1,
    });
    const ops = deliveries.find((d) => d.target === 'ops@csp.example')!;
    expect((ops.log as Array<{ ok: boolean }>).map((l) => l.ok)).toEqual([false, true]);
    expect(ops.lastError).toBeNull();
    expect(smtp.mails.flatMap((m) => m.to).sort()).toEqual(emails);
    expect(smtp.mails[0]!.data).toContain(cloud.slug);

    const hook = deliveries.find((d) => d.channel === 'webhook')!;
    expect(hook.attempts).toBe(2);
    const log = hook.log as Array<{ ok: boolean; statusCode?: number }>;
    expect(log.map((l) => [l.ok, l.statusCode])).toEqual([
      [false, 503],
      [true, 204],
    ]);
    expect(receiver.hooks.map((h) => h.status)).toEqual([503, 204]);
    const payload = JSON.parse(receiver.hooks[1]!.body);
    expect(payload).toMatchObject({
      event: 'status-change',
      cloud: { slug: cloud.slug },
      to: 'MISS',
      data: { official: { from: 'MISS', to: 'PASS', version: 'scs-compatible-iaas/v5.1' } },
      run: { id: run.id },
    });
    expect(receiver.hooks[1]!.body).not.toContain(secret);
    // The same webhook-id for the retry as for the first attempt (the receiver's idempotency key).
    expect(receiver.hooks.map((h) => h.headers['webhook-id'])).toEqual([hook.id, hook.id]);
    // The secret is in the database only sealed.
    const stored = await db.$queryRaw<Array<{ row: string }>>`SELECT row_to_json(w)::text AS row FROM "Webhook" w`;
    expect(stored.some((r) => r.row.includes(secret) || r.row.includes(secret.slice(6)))).toBe(false);

    // Another run with the same outcome: no new message (one per change, not per run).
    const again = await requestRun(
      staff(),
      { slug: cloud.slug },
      { trigger: 'manual', testcases: ['scs-0116-presence', 'scs-0116-permissions'] },
    );
    await waitFor(
      async () => (await db.run.findUnique({ where: { id: again.run.id } }))?.status === 'finished',
      60_000,
    );
    // Once the snapshot includes the second run (the worker stores it; a reader may as well), a
    // change would have been queued in that same transaction: there is none.
    await refreshWhere(Prisma.sql`c.id = ${cloud.id}::uuid`);
    await waitFor(() => snapshotIncludes(cloud.id, again.run.id), 60_000);
    expect(await db.notification.count({ where: { cloudId: cloud.id } })).toBe(1);
    expect(receiver.hooks).toHaveLength(2);

    // Staff read the delivery log; CSP users may not.
    const page = await listDeliveries(staff());
    expect(page.items.some((d) => d.id === hook.id && d.attempts === 2)).toBe(true);
    await expect(listDeliveries(cspOf(org.id))).rejects.toMatchObject({ status: 403 });
  }, 240_000);

  it('keeps webhooks to their organization', async () => {
    const orgA = await makeOrg();
    const orgB = await makeOrg();
    await expect(
      createWebhook(cspOf(orgA.id), { organization: orgB.slug, url: 'https://example.com/h' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      createWebhook(cspOf(orgA.id), { organization: '', url: 'https://example.com/h' }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(createWebhook(cspOf(orgA.id), { organization: orgA.slug, url: 'not a url' })).rejects.toMatchObject({
      status: 422,
    });
  });
});
