// The dispatcher on a real PostgreSQL with real receivers on loopback: several worker processes
// share the outbox and deliver each message exactly once; e-mail without SMTP_URL is held and says
// why, then sent (or dropped when too old) once SMTP is configured; old messages, removed webhooks
// and leases of dead processes are settled with a reason.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { stopBoss } from '../../lib/jobs';
import {
  Dispatcher,
  createWebhook,
  enqueue,
  listDeliveries,
  messagesWithKeyPrefix,
  notifySettings,
} from '../../lib/notify';
import { cspOf, ensureTestUsers, makeCloud, makeOrg, staff, uid, isolatedVault, waitFor } from './support/fixtures';
import { startSmtp, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './support/receivers';
import { spawnWorker, writeConfigs, type WorkerChild } from './support/spawn-worker';

const HOUR = 3_600_000;
let smtp: SmtpReceiver;
const children: WorkerChild[] = [];
const saved = { ...process.env };
const vaultEnv = isolatedVault();

/** Other files' leftovers would be this file's dispatchers' work too: settle them. */
async function settleOthers() {
  await db.notification.updateMany({ where: { status: 'queued' }, data: { status: 'dispatched' } });
  await db.notificationDelivery.updateMany({
    where: { status: { in: ['pending', 'held'] } },
    data: { status: 'dropped', lastError: 'settled by tests/integration/notify-dispatcher.test.ts' },
  });
}

async function note(org: { id: string }, cloud: { id: string } | null, key = `test:${uid()}`) {
  await db.$transaction((tx) =>
    enqueue(tx, {
      kind: 'status-change',
      organizationId: org.id,
      cloudId: cloud?.id ?? null,
      subject: `subject ${key}`,
      body: `body ${key}`,
      dedupeKey: key,
    }),
  );
  return db.notification.findUniqueOrThrow({ where: { dedupeKey: key } });
}

beforeAll(async () => {
  await ensureTestUsers();
  smtp = await startSmtp();
  // Staff who subscribed in other files would receive this file's messages too.
  await db.$executeRaw`UPDATE "NotificationPreference" p SET "statusChanges" = false
    FROM "User" u WHERE u.id = p."userId" AND u.role <> 'csp'`;
});
beforeEach(async () => {
  await settleOthers();
  delete process.env.SMTP_URL;
});
afterAll(async () => {
  for (const c of children) await c.stop();
  await stopBoss();
  await smtp?.close();
  process.env = saved;
});

describe('several worker processes', () => {
  it('share the outbox: every message is fanned out once and every webhook delivery succeeds once', async () => {
    // Every 5th delivery fails its first attempt, so retries move between processes too.
    const firstTry = new Set<string>();
    const receiver: WebhookReceiver = await startWebhookReceiver(({ headers }) => {
      const id = String(headers['webhook-id']);
      if (!firstTry.has(id)) {
        firstTry.add(id);
        if (firstTry.size % 5 === 0) return 503;
      }
      return 204;
    });
    process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = 'true';
    try {
      const org = await makeOrg();
      await createWebhook(cspOf(org.id), { organization: org.slug, url: receiver.url });
      const keys = Array.from({ length: 60 }, (_, i) => `multi:${uid()}:${i}`);
      for (const k of keys) await note(org, null, k);
      const env = {
        ...vaultEnv,
        WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'true',
        NOTIFY_POLL_MS: '100',
        NOTIFY_RETRY_DELAY_S: '0.2',
        NOTIFY_CONCURRENCY: '3',
        WORKER_CONCURRENCY: '1',
      };
      const file = writeConfigs({});
      children.push(await spawnWorker(file, env), await spawnWorker(file, env));
      const deliveries = await waitFor(
        async () => {
          const ds = await db.notificationDelivery.findMany({
            where: { notification: { dedupeKey: { in: keys } } },
            include: { notification: { select: { dedupeKey: true, status: true } } },
          });
          return ds.length === keys.length && ds.every((d) => d.status === 'delivered') ? ds : null;
        },
        60_000,
        200,
      );
      // One delivery per message (fanned out once), each received 2xx exactly once.
      expect(new Set(deliveries.map((d) => d.notification.dedupeKey)).size).toBe(keys.length);
      const ok = receiver.hooks.filter((h) => h.status === 204).map((h) => String(h.headers['webhook-id']));
      expect(ok.sort()).toEqual(deliveries.map((d) => d.id).sort());
      const retried = deliveries.filter((d) => d.attempts === 2);
      expect(retried.length).toBe(receiver.hooks.filter((h) => h.status === 503).length);
      expect(retried.length).toBeGreaterThanOrEqual(10);
      for (const d of retried) {
        expect((d.log as Array<{ ok: boolean; statusCode: number }>).map((l) => [l.ok, l.statusCode])).toEqual([
          [false, 503],
          [true, 204],
        ]);
      }
    } finally {
      for (const c of children.splice(0)) await c.stop();
      await receiver.close();
      delete process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES;
    }
  }, 120_000);
});

describe('e-mail without SMTP_URL', () => {
  it('is held with its reason, shown in the log and beside the message; sent once SMTP is configured', async () => {
    const org = await makeOrg({ contactEmails: [`held-${uid()}@csp.example`] });
    const cloud = await makeCloud(org.id);
    const dispatcher = new Dispatcher();
    const n = await note(org, cloud);
    await dispatcher.runOnce();
    const [held] = await db.notificationDelivery.findMany({ where: { notificationId: n.id } });
    expect(held).toMatchObject({ channel: 'email', status: 'held', attempts: 0 });
    expect(held!.lastError).toBe(
      'not sent: e-mail is not configured (SMTP_URL is not set); kept for 24 h in case it is',
    );
    // Nothing is attempted while it waits, however often the dispatcher runs.
    await dispatcher.runOnce();
    expect((await db.notificationDelivery.findUniqueOrThrow({ where: { id: held!.id } })).attempts).toBe(0);

    const log = await listDeliveries(staff(), { status: 'not-sent', channel: 'email' });
    expect(log.email).toMatchObject({ configured: false, holdHours: 24 });
    expect(log.email.held).toBeGreaterThanOrEqual(1);
    const row = log.items.find((d) => d.id === held!.id)!;
    expect(row).toMatchObject({ statusText: 'not sent', lastError: held!.lastError });
    const [view] = await messagesWithKeyPrefix(n.dedupeKey);
    expect(view!.outcome).toEqual({ state: 'not-sent', text: held!.lastError });

    // An older held e-mail of the same kind: past the hold window when SMTP arrives.
    const old = await note(org, cloud);
    await dispatcher.runOnce();
    await db.notificationDelivery.updateMany({
      where: { notificationId: old.id },
      data: { createdAt: new Date(Date.now() - 25 * HOUR) },
    });

    process.env.SMTP_URL = smtp.url;
    const before = smtp.mails.length;
    await dispatcher.runOnce();
    const sent = await db.notificationDelivery.findUniqueOrThrow({ where: { id: held!.id } });
    expect(sent).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
    expect(smtp.mails.slice(before).map((m) => m.to)).toEqual([org.contactEmails]);
    expect(smtp.mails.at(-1)!.data).toContain(`subject ${n.dedupeKey}`);
    const [dropped] = await db.notificationDelivery.findMany({ where: { notificationId: old.id } });
    expect(dropped).toMatchObject({ status: 'dropped', attempts: 0 });
    expect(dropped!.lastError).toBe('not sent: e-mail was not configured (SMTP_URL) within 24 h of the message');
    expect((await messagesWithKeyPrefix(n.dedupeKey))[0]!.outcome).toEqual({
      state: 'sent',
      text: 'sent to 1 recipient',
    });
    expect((await listDeliveries(staff())).email.configured).toBe(true);
  });
});

describe('messages that cannot be delivered', () => {
  it('a message older than NOTIFY_MAX_AGE_HOURS is not fanned out but marked expired', async () => {
    const org = await makeOrg({ contactEmails: ['late@csp.example'] });
    const n = await note(org, null);
    await db.notification.update({ where: { id: n.id }, data: { createdAt: new Date(Date.now() - 169 * HOUR) } });
    await new Dispatcher().runOnce();
    const after = await db.notification.findUniqueOrThrow({ where: { id: n.id }, include: { deliveries: true } });
    expect(after.status).toBe('expired');
    expect(after.deliveries).toEqual([]);
    expect((await messagesWithKeyPrefix(n.dedupeKey))[0]!.outcome.text).toBe(
      'not sent: the message waited longer than 168 h for a worker',
    );
  });

  it('a delivery to a webhook removed meanwhile is dropped, not retried', async () => {
    const org = await makeOrg();
    const { webhook } = await createWebhook(cspOf(org.id), { organization: org.slug, url: 'https://hooks.example/x' });
    const n = await note(org, null);
    const dispatcher = new Dispatcher();
    await dispatcher.fanOut();
    await db.webhook.update({ where: { id: webhook.id }, data: { active: false } });
    await dispatcher.runOnce();
    const [d] = await db.notificationDelivery.findMany({ where: { notificationId: n.id } });
    expect(d).toMatchObject({ channel: 'webhook', status: 'dropped', attempts: 0 });
    expect(d!.lastError).toBe('not sent: the webhook was removed or switched off');
  });

  it('a lease of a dead process is taken over after it runs out, and the dead one cannot settle any more', async () => {
    const receiver = await startWebhookReceiver();
    process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = 'true';
    try {
      const org = await makeOrg();
      await createWebhook(cspOf(org.id), { organization: org.slug, url: receiver.url });
      const n = await note(org, null);
      const settings = { ...notifySettings(), leaseMs: 60_000 };
      let t = Date.now();
      const dead = new Dispatcher({ settings, now: () => new Date(t) });
      await dead.fanOut();
      const lost = await dead.claim(10);
      const [d] = await db.notificationDelivery.findMany({ where: { notificationId: n.id } });
      expect(lost.ids).toContain(d!.id);
      // Within the lease nobody else takes it.
      const other = new Dispatcher({ settings, now: () => new Date(t) });
      expect((await other.claim(10)).ids).not.toContain(d!.id);
      t += 61_000;
      const taken = await other.claim(10);
      expect(taken.ids).toContain(d!.id);
      expect(await other.attempt(d!.id, taken.token)).toBe('delivered');
      expect(await dead.attempt(d!.id, lost.token)).toBe('lost');
      const final = await db.notificationDelivery.findUniqueOrThrow({ where: { id: d!.id } });
      expect(final).toMatchObject({ status: 'delivered', attempts: 1, leaseToken: null });
      expect(receiver.hooks).toHaveLength(1);
    } finally {
      await receiver.close();
      delete process.env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES;
    }
  });
});
