// Notifications end to end on real local servers: a run changes a cloud's status, the worker
// fans the one notification out to e-mail (a local SMTP server from the smtp-server package) and
// a webhook (a local HTTP receiver that verifies the HMAC-SHA256 signature). The first SMTP
// attempt and the first webhook attempt fail; the queue retries both, and the delivery log says so.
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { db } from '../../lib/db';
import { OpenStackSimulator, simulatorCloud } from '../../lab/simulator';
import { requestRun, startWorker, stopBoss, type RunningWorker } from '../../lib/jobs';
import { createWebhook, listDeliveries, setPreferences, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../lib/notify';
import { ctxOf, cspOf, ensureTestUsers, makeCloud, makeOrg, makeUser, staff, waitFor } from './support/fixtures';

interface Mail {
  from: string;
  to: string[];
  data: string;
}
const mails: Mail[] = [];
let smtp: SMTPServer;
let smtpRejectsLeft = 1;
let receiver: http.Server;
let receiverFailuresLeft = 1;
const hooks: Array<{ body: string; signature: string; timestamp: string; status: number }> = [];
let webhookSecret = '';
let sim: OpenStackSimulator;
let worker: RunningWorker;

beforeAll(async () => {
  await ensureTestUsers();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, cb) {
      if (smtpRejectsLeft > 0) {
        smtpRejectsLeft--;
        const e = new Error('try again later') as Error & { responseCode: number };
        e.responseCode = 451;
        return cb(e);
      }
      cb();
    },
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (d) => {
        data += String(d);
      });
      stream.on('end', () => {
        mails.push({
          from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      const signature = String(req.headers[SIGNATURE_HEADER.toLowerCase()] ?? '');
      const timestamp = String(req.headers[TIMESTAMP_HEADER.toLowerCase()] ?? '');
      const expected = `sha256=${createHmac('sha256', webhookSecret).update(`${timestamp}.${body}`).digest('hex')}`;
      const valid =
        signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
      const status = !valid ? 401 : receiverFailuresLeft-- > 0 ? 503 : 204;
      hooks.push({ body, signature, timestamp, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  process.env.SMTP_FROM = 'conformance@test.example';
  process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = 'true';
  process.env.NOTIFY_RETRY_DELAY_S = '1';
  process.env.NOTIFY_RETRY_LIMIT = '3';
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
  await new Promise<void>((r) => smtp.close(() => r()));
  await new Promise<void>((r) => receiver.close(() => r()));
  for (const k of [
    'SMTP_URL',
    'SMTP_FROM',
    'WEBHOOK_ALLOW_PRIVATE_ADDRESSES',
    'NOTIFY_RETRY_DELAY_S',
    'NOTIFY_RETRY_LIMIT',
  ])
    delete process.env[k];
});

describe('notifications', () => {
  it('sends one e-mail per recipient and one signed webhook per status change, retrying failed deliveries', async () => {
    const org = await makeOrg({ contactEmails: ['ops@csp.example'] });
    const cloud = await makeCloud(org.id, { contactEmails: ['cloud-team@csp.example'] });
    const member = await makeUser('csp', org.id);
    const optedOut = await makeUser('csp', org.id);
    const subscribedStaff = await makeUser('reviewer');
    const quietStaff = await makeUser('reviewer');
    await setPreferences(
      ctxOf({ id: optedOut.id, email: optedOut.email, name: '', role: 'csp', organizationIds: [org.id] }),
      { statusChanges: false },
    );
    await setPreferences(
      ctxOf({ id: subscribedStaff.id, email: subscribedStaff.email, name: '', role: 'reviewer', organizationIds: [] }),
      { statusChanges: 'on' },
    );
    const { secret } = await createWebhook(cspOf(org.id), {
      organization: org.slug,
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    });
    webhookSecret = secret;

    const { run } = await requestRun(
      staff(),
      { slug: cloud.slug },
      { trigger: 'manual', testcases: ['scs-0116-presence', 'scs-0116-permissions'] },
    );
    await waitFor(async () => (await db.run.findUnique({ where: { id: run.id } }))?.status === 'finished', 30_000);
    // The stored status changed: the official verdict of a new cloud went from MISS to PASS (its full
    // profile stays MISS without an attestation). The worker hands the queued change over after the run.
    const notification = await waitFor(() => db.notification.findFirst({ where: { cloudId: cloud.id } }), 10_000);
    expect(notification).toMatchObject({ kind: 'status-change', fromStatus: 'MISS', toStatus: 'MISS', runId: run.id });
    expect(notification.subject).toBe(`${cloud.slug}: SCS v5.1 MISS -> PASS`);

    const deliveries = await waitFor(
      async () => {
        const ds = await db.notificationDelivery.findMany({ where: { notificationId: notification.id } });
        return ds.length > 0 && ds.every((d) => d.status !== 'pending') ? ds : null;
      },
      45_000,
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
    // The one rejected RCPT was retried.
    expect(deliveries.filter((d) => d.channel === 'email').some((d) => d.attempts === 2)).toBe(true);
    expect(mails.flatMap((m) => m.to).sort()).toEqual(emails);
    expect(mails[0]!.data).toContain(cloud.slug);

    const hook = deliveries.find((d) => d.channel === 'webhook')!;
    expect(hook.attempts).toBe(2);
    const log = hook.log as Array<{ ok: boolean; statusCode?: number }>;
    expect(log.map((l) => [l.ok, l.statusCode])).toEqual([
      [false, 503],
      [true, 204],
    ]);
    expect(hooks.map((h) => h.status)).toEqual([503, 204]);
    const payload = JSON.parse(hooks[1]!.body);
    expect(payload).toMatchObject({
      event: 'status-change',
      cloud: { slug: cloud.slug },
      to: 'MISS',
      data: { official: { from: 'MISS', to: 'PASS', version: 'scs-compatible-iaas/v5.1' } },
      run: { id: run.id },
    });
    expect(hooks[1]!.body).not.toContain(secret);

    // Another run with the same outcome: no new message (one per change, not per run).
    const again = await requestRun(
      staff(),
      { slug: cloud.slug },
      { trigger: 'manual', testcases: ['scs-0116-presence', 'scs-0116-permissions'] },
    );
    await waitFor(
      async () => (await db.run.findUnique({ where: { id: again.run.id } }))?.status === 'finished',
      30_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(await db.notification.count({ where: { cloudId: cloud.id } })).toBe(1);
    expect(hooks).toHaveLength(2);

    // Staff read the delivery log; CSP users may not.
    const page = await listDeliveries(staff());
    expect(page.items.some((d) => d.id === hook.id && d.attempts === 2)).toBe(true);
    await expect(listDeliveries(cspOf(org.id))).rejects.toMatchObject({ status: 403 });
  }, 90_000);

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
