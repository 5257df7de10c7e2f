import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import {
  addAttestationFile,
  createAttestation,
  listCloudAttestations,
  manualResultForCloud,
  reviewAttestation,
  submitAttestation,
  updateAttestation,
} from '../../lib/attestations';
import { DAY_MS } from '../../lib/attestations/config';
import { sendAttestationReminders } from '../../lib/attestations/reminders';
import { samplePdf, sampleStatement } from '../fixtures/attestation-files';
import { fixedClock, resetClock, setClock } from '../../lib/clock';
import { sendDueReminders } from '../../lib/jobs/reminders';
import { Dispatcher, createWebhook, notifySettings } from '../../lib/notify';
import { isolatedVault, makeWorld } from './support/fixtures';

let w: Awaited<ReturnType<typeof makeWorld>>;
let id: string;
let expiresAt: Date;
const approvedAt = new Date('2026-12-01T08:00:00Z');
const clock = fixedClock(approvedAt);
isolatedVault();

beforeAll(async () => {
  setClock(clock);
  w = await makeWorld();
  id = (await createAttestation(w.csp, w.cloud.slug, sampleStatement)).id;
  await addAttestationFile(w.csp, id, { name: 'kek.pdf', bytes: samplePdf(`kek ${Date.now()}`) });
  await submitAttestation(w.csp, id, { confirm: true, signerName: 'Ada Ops' });
  await reviewAttestation(w.reviewer, id, { decision: 'approve', comment: 'OK.' });
  expiresAt = (await db.attestation.findUniqueOrThrow({ where: { id } })).expiresAt!;
});
afterAll(() => resetClock());

async function reminders() {
  return db.notification.findMany({
    where: { dedupeKey: { startsWith: `attestation:${id}:expiry` } },
    // Both reminders may be written at one instant of the fixed test clock: the key breaks the tie
    // ("expiry-14d" sorts before "expiry-1d", the order they fall due in).
    orderBy: [{ createdAt: 'asc' }, { dedupeKey: 'asc' }],
  });
}

describe('expiry of an approved attestation', () => {
  it('holds 91 days from the approval instant', () => {
    expect(expiresAt.getTime() - approvedAt.getTime()).toBe(91 * DAY_MS);
  });

  it('the manual testcase is PASS until 1 ms before expiry and MISS from expiry on', async () => {
    expect((await manualResultForCloud(w.cloud.id, approvedAt)).verdict).toBe('PASS');
    expect((await manualResultForCloud(w.cloud.id, new Date(expiresAt.getTime() - 1))).verdict).toBe('PASS');
    expect((await manualResultForCloud(w.cloud.id, expiresAt)).verdict).toBe('MISS');
    expect((await manualResultForCloud(w.cloud.id, new Date(approvedAt.getTime() - 1))).verdict).toBe('MISS');
    clock.set(new Date(expiresAt.getTime() + 1));
    expect((await listCloudAttestations(w.csp, w.cloud.slug)).result.verdict).toBe('MISS');
  });

  it('reminds 14 days and 1 day before expiry, once each, however often the job runs', async () => {
    expect(
      (await sendAttestationReminders(new Date(expiresAt.getTime() - 14 * DAY_MS - 1))).created.filter((k) =>
        k.includes(id),
      ),
    ).toEqual([]);
    const at14 = new Date(expiresAt.getTime() - 14 * DAY_MS);
    expect((await sendAttestationReminders(at14)).created).toContain(`attestation:${id}:expiry-14d`);
    expect((await sendAttestationReminders(at14)).created).not.toContain(`attestation:${id}:expiry-14d`);
    expect(
      (await sendAttestationReminders(new Date(expiresAt.getTime() - 2 * DAY_MS))).created.filter((k) =>
        k.includes(id),
      ),
    ).toEqual([]);
    const at1 = new Date(expiresAt.getTime() - DAY_MS);
    expect((await sendAttestationReminders(at1)).created).toContain(`attestation:${id}:expiry-1d`);
    await Promise.all([sendAttestationReminders(at1), sendAttestationReminders(new Date(at1.getTime() + 1000))]);
    expect((await sendAttestationReminders(expiresAt)).created.filter((k) => k.includes(id))).toEqual([]);
    const rows = await reminders();
    expect(rows.map((r) => r.dedupeKey)).toEqual([`attestation:${id}:expiry-14d`, `attestation:${id}:expiry-1d`]);
    expect(rows[0]).toMatchObject({
      kind: 'attestationExpiry',
      organizationId: w.orgA.id,
      cloudId: w.cloud.id,
      status: 'queued',
    });
    expect(rows[0].subject).toMatch(/expires in 14 days/);
    expect(rows[1].subject).toMatch(/expires in 1 day/);
    const audit = await db.auditEvent.findMany({ where: { targetId: id, action: 'attestation.reminder' } });
    expect(audit).toHaveLength(2);
  });

  it('the dispatcher fans each queued reminder out once; a webhook for attestation-expiry gets a delivery each', async () => {
    const { webhook: hook } = await createWebhook(w.csp, {
      organization: w.orgA.slug,
      url: 'https://hooks.example.test/scs',
      events: ['attestation-expiry'],
    });
    // The test clock has moved 91 days past the review: let nothing count as too old here.
    const dispatcher = new Dispatcher({ settings: { ...notifySettings(), maxAgeMs: 400 * DAY_MS } });
    expect(await dispatcher.fanOut()).toBeGreaterThanOrEqual(2);
    expect(await dispatcher.fanOut()).toBe(0);
    const sent = await db.notification.findMany({
      where: { cloudId: w.cloud.id, kind: 'attestationExpiry' },
      include: { deliveries: true },
      // Both reminders may be written at one instant of the fixed test clock: the key breaks the tie
      // ("expiry-14d" sorts before "expiry-1d", the order they fall due in).
      orderBy: [{ createdAt: 'asc' }, { dedupeKey: 'asc' }],
    });
    expect(sent.map((n) => n.subject)).toEqual([
      expect.stringMatching(/expires in 14 days/),
      expect.stringMatching(/expires in 1 day/),
    ]);
    expect(sent.every((n) => n.status === 'dispatched')).toBe(true);
    // The webhook, and the CSP user (members get reminders by default); no SMTP here, so e-mail is held.
    for (const n of sent) {
      expect(n.deliveries.filter((d) => d.channel === 'webhook').map((d) => d.webhookId)).toEqual([hook.id]);
      expect(n.deliveries.filter((d) => d.channel === 'email').map((d) => d.status)).toEqual(['held']);
    }
    // The review outcome (approval) went out the same way, to the organization's people.
    const reviewed = await db.notification.findMany({
      where: { cloudId: w.cloud.id, kind: 'attestationReviewed' },
      include: { deliveries: true },
    });
    expect(reviewed).toHaveLength(1);
    expect(reviewed[0]!.status).toBe('dispatched');
    expect(reviewed[0]!.deliveries.map((d) => d.channel)).toEqual(['email']);
  });

  it('certificate expiry: reminders 30 and 7 days ahead are queued once each', async () => {
    const validUntil = new Date(expiresAt.getTime() + 400 * DAY_MS);
    const cert = await db.certificate.create({
      data: {
        cloudId: w.cloud.id,
        standard: 'scs-0116-v1',
        grantedAt: new Date(validUntil.getTime() - 365 * DAY_MS),
        validUntil,
        grantedByLabel: 'test',
      },
    });
    const queued = async () =>
      (await db.notification.findMany({ where: { dedupeKey: { startsWith: `certificate-expiry:${cert.id}:` } } }))
        .map((n) => n.dedupeKey)
        .sort();
    expect((await sendDueReminders(new Date(validUntil.getTime() - 31 * DAY_MS))).certificateReminders).toBe(0);
    expect(await queued()).toEqual([]);
    expect((await sendDueReminders(new Date(validUntil.getTime() - 30 * DAY_MS))).certificateReminders).toBe(1);
    expect((await sendDueReminders(new Date(validUntil.getTime() - 20 * DAY_MS))).certificateReminders).toBe(0);
    expect((await sendDueReminders(new Date(validUntil.getTime() - 7 * DAY_MS))).certificateReminders).toBe(1);
    expect(await queued()).toEqual([`certificate-expiry:${cert.id}:30d`, `certificate-expiry:${cert.id}:7d`]);
    const sent = await db.notification.findMany({ where: { cloudId: w.cloud.id, kind: 'certificateExpiry' } });
    expect(sent).toHaveLength(2);
    expect(sent[0]!.subject).toMatch(/Certificate of .* expires on/);
  });

  it('a superseded approval gets no reminder', async () => {
    clock.set(new Date(approvedAt.getTime() + 10 * DAY_MS));
    const r2 = await createAttestation(w.csp, w.cloud.slug);
    await updateAttestation(w.csp, r2.id, { validFrom: '2026-12-10' });
    await submitAttestation(w.csp, r2.id, { confirm: true, signerName: 'Ada Ops' });
    await reviewAttestation(w.reviewer, r2.id, { decision: 'approve', comment: 'Renewed early.' });
    const r2exp = (await db.attestation.findUniqueOrThrow({ where: { id: r2.id } })).expiresAt!;
    // At the first approval's 14-day mark the second one is far from expiry: nothing for either.
    const res = await sendAttestationReminders(new Date(expiresAt.getTime() - 14 * DAY_MS + 5000));
    expect(res.created.filter((k) => k.includes(id) || k.includes(r2.id))).toEqual([]);
    expect((await sendAttestationReminders(new Date(r2exp.getTime() - DAY_MS))).created).toContain(
      `attestation:${r2.id}:expiry-1d`,
    );
  });
});
