import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../../lib/db';
import {
  addAttestationFile,
  createAttestation,
  getAttestation,
  listAttestations,
  listCloudAttestations,
  removeAttestationFile,
  reviewAttestation,
  submitAttestation,
  updateAttestation,
} from '../../lib/attestations';
import { submissionDigest } from '../../lib/attestations/digest';
import { samplePdf, samplePng, sampleStatement } from '../fixtures/attestation-files';
import { count, ctxOf, makeWorld } from './support/fixtures';
import { fixedClock, resetClock, setClock } from '../../lib/clock';
import { PolicyError } from '../../lib/auth/policy';
import { AppError } from '../../lib/errors';
import type { RequestContext } from '../../lib/context';

// The server action is called directly (as a crafted request would), with Next's request
// plumbing replaced: the caller is whoever `session.ctx` says.
const session = vi.hoisted(() => ({ ctx: null as RequestContext | null }));
vi.mock('server-only', () => ({}));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'crafted/1.0' }) }));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));
vi.mock('next/navigation', () => ({
  redirect: (to: string) => {
    throw new Error(`redirect ${to}`);
  },
}));
vi.mock('../../lib/next/session', () => ({
  currentContext: async () => session.ctx ?? { actor: null, clientAddress: null },
}));

async function refusal(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PolicyError || err instanceof AppError) return { status: err.status, message: err.message };
    throw err;
  }
  throw new Error('was not refused');
}

let w: Awaited<ReturnType<typeof makeWorld>>;
const clock = fixedClock('2026-11-02T09:00:00Z');
beforeAll(async () => {
  w = await makeWorld();
});
afterEach(() => {
  session.ctx = null;
});
afterAll(() => resetClock());

describe('attestation lifecycle', () => {
  let id: string;

  it('a CSP starts a draft for its cloud; a second open revision is refused', async () => {
    setClock(clock);
    const a = await createAttestation(w.csp, w.cloud.slug);
    expect(a).toMatchObject({ revision: 1, state: 'draft', fileCount: 0 });
    id = a.id;
    expect((await refusal(createAttestation(w.csp, w.cloud.slug))).status).toBe(409);
  });

  it('others: anonymous 401, CSP of another organization 404 (read and write), reviewer may not write', async () => {
    expect((await refusal(getAttestation(ctxOf(null), id))).status).toBe(401);
    expect((await refusal(getAttestation(w.cspB, id))).status).toBe(404);
    expect((await refusal(updateAttestation(w.cspB, id, { contactName: 'x' }))).status).toBe(404);
    expect((await refusal(createAttestation(w.cspB, w.cloud.slug))).status).toBe(404);
    expect((await refusal(listCloudAttestations(w.cspB, w.cloud.slug))).status).toBe(404);
    expect((await refusal(updateAttestation(w.reviewer, id, { contactName: 'x' }))).status).toBe(403);
    expect(
      (await refusal(reviewAttestation(w.csp, id, { decision: 'approve', comment: 'self-approval' }))).status,
    ).toBe(403);
    expect((await listAttestations(w.cspB)).items.find((x) => x.id === id)).toBeUndefined();
    expect((await refusal(getAttestation(w.csp, 'not-a-uuid'))).status).toBe(404);
  });

  it('drafts save field by field and keep HTML as text', async () => {
    await updateAttestation(w.csp, id, { implementation: 'barbican', contactName: '<script>alert(1)</script>' });
    await updateAttestation(w.csp, id, { secretStore: 'pkcs11' });
    const a = await getAttestation(w.csp, id);
    expect(a.statement).toEqual({
      implementation: 'barbican',
      secretStore: 'pkcs11',
      contactName: '<script>alert(1)</script>',
    });
    expect((await refusal(updateAttestation(w.csp, id, { secretStore: 'rot13' }))).status).toBe(422);
  });

  it('an incomplete statement or one without evidence cannot be submitted', async () => {
    const r = await refusal(submitAttestation(w.csp, id, { confirm: true, signerName: 'Ada Ops' }));
    expect(r.status).toBe(422);
    expect(r.message).toMatch(/cannot be submitted yet/);
    await updateAttestation(w.csp, id, sampleStatement);
    // Every answer given: only the evidence is missing, and the message says so (it is not an answer).
    const noFile = await refusal(submitAttestation(w.csp, id, { confirm: true, signerName: 'Ada Ops' }));
    expect(noFile.message).toBe('The statement cannot be submitted yet: no evidence file is attached yet.');
    expect((await refusal(submitAttestation(w.csp, id, { signerName: 'Ada Ops' }))).status).toBe(422);
  });

  it('submit: signature record with name, time, address, user agent and the digest', async () => {
    await addAttestationFile(w.csp, id, { name: 'hsm-policy.pdf', bytes: samplePdf() });
    await addAttestationFile(w.csp, id, { name: 'rack.png', bytes: samplePng() });
    const s = await submitAttestation(
      w.csp,
      id,
      { confirm: 'on', signerName: 'Ada Ops' },
      { userAgent: 'vitest-agent' },
    );
    expect(s).toMatchObject({
      number: 1,
      signerName: 'Ada Ops',
      signerEmail: w.csp.actor!.email,
      clientAddress: '192.0.2.10',
      userAgent: 'vitest-agent',
    });
    expect(s.signedAt.toISOString()).toBe('2026-11-02T09:00:00.000Z');
    const a = await getAttestation(w.csp, id);
    expect(a.state).toBe('submitted');
    expect(s.digest).toBe(
      submissionDigest({
        attestationId: id,
        cloudSlug: w.cloud.slug,
        revision: 1,
        standard: 'scs-0116-v1',
        statement: a.statement,
        files: a.files,
      }),
    );
  });

  it('a submitted revision is locked for the CSP; review needs a comment', async () => {
    expect((await refusal(updateAttestation(w.csp, id, { contactName: 'late edit' }))).status).toBe(409);
    expect((await refusal(addAttestationFile(w.csp, id, { name: 'x.txt', bytes: Buffer.from('x') }))).status).toBe(409);
    const noComment = await refusal(reviewAttestation(w.reviewer, id, { decision: 'request_changes', comment: ' ' }));
    expect(noComment).toMatchObject({ status: 422 });
  });

  it('changes requested -> CSP edits and resubmits -> approved with expiry one quarter later', async () => {
    clock.advance(3600_000);
    await reviewAttestation(w.reviewer, id, {
      decision: 'request_changes',
      comment: 'Please attach the HSM audit report.',
    });
    expect((await getAttestation(w.csp, id)).state).toBe('changes_requested');
    await addAttestationFile(w.csp, id, { name: 'audit.txt', bytes: Buffer.from('HSM audit 2026: passed\n') });
    await submitAttestation(w.csp, id, { confirm: true, signerName: 'Ada Ops' });
    clock.advance(3600_000);
    await reviewAttestation(w.reviewer, id, { decision: 'approve', comment: 'Evidence complete.' });
    const a = await getAttestation(w.csp, id);
    expect(a.state).toBe('approved');
    expect(a.approvedAt!.toISOString()).toBe('2026-11-02T11:00:00.000Z');
    expect(a.expiresAt!.toISOString()).toBe('2027-02-01T11:00:00.000Z');
    expect(a.submissions.map((s) => s.number)).toEqual([1, 2]);
    expect(a.submissions[0].digest).not.toBe(a.submissions[1].digest);
    expect(a.reviews.map((r) => [r.decision, r.submissionNumber])).toEqual([
      ['request_changes', 1],
      ['approve', 2],
    ]);
    expect(a.notifications.map((n) => n.kind)).toEqual(['attestation-reviewed', 'attestation-reviewed']);
    expect((await listCloudAttestations(w.csp, w.cloud.slug)).result.verdict).toBe('PASS');
  });

  it('an approved revision cannot change through lib', async () => {
    const before = await db.attestation.findUniqueOrThrow({ where: { id } });
    const file = (await getAttestation(w.csp, id)).files[0];
    for (const p of [
      () => updateAttestation(w.csp, id, { contactName: 'changed' }),
      () => addAttestationFile(w.csp, id, { name: 'late.txt', bytes: Buffer.from('late') }),
      () => removeAttestationFile(w.csp, id, file.id),
      () => submitAttestation(w.csp, id, { confirm: true, signerName: 'Ada Ops' }),
      () => reviewAttestation(w.reviewer, id, { decision: 'reject', comment: 'changed my mind' }),
    ]) {
      const r = await refusal(p());
      expect(r.status).toBe(409);
    }
    expect(await db.attestation.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it('an approved revision cannot change through a crafted server-action call', async () => {
    const { saveAttestationAction, submitAttestationAction, removeAttestationFileAction } =
      await import('../../app/(app)/attestations/actions');
    const events = await count('AuditEvent');
    session.ctx = w.csp;
    const fd = new FormData();
    fd.set('id', id);
    fd.set('contactName', 'crafted');
    const saved = await saveAttestationAction({}, fd);
    expect(saved).toMatchObject({ status: 409 });
    expect(saved.message).toMatch(/approved and can no longer change/);
    fd.set('confirm', 'on');
    fd.set('signerName', 'Mallory');
    expect(await submitAttestationAction({}, fd)).toMatchObject({ status: 409 });
    const file = (await getAttestation(w.csp, id)).files[0];
    fd.set('fileId', file.id);
    expect(await removeAttestationFileAction({}, fd)).toMatchObject({ status: 409 });
    session.ctx = w.cspB;
    expect(await saveAttestationAction({}, fd)).toMatchObject({ status: 404 });
    session.ctx = null;
    expect(await saveAttestationAction({}, fd)).toMatchObject({ status: 401 });
    expect(await count('AuditEvent')).toBe(events);
    expect((await getAttestation(w.csp, id)).statement.contactName).toBe('Ops Team');
  });

  it('an approved revision cannot change through raw SQL either (triggers)', async () => {
    const sqls = [
      `UPDATE "Attestation" SET "statement" = '{}'::jsonb WHERE "id" = '${id}'`,
      `UPDATE "Attestation" SET "state" = 'draft' WHERE "id" = '${id}'`,
      `DELETE FROM "Attestation" WHERE "id" = '${id}'`,
      `UPDATE "AttestationFile" SET "name" = 'swapped.pdf' WHERE "attestationId" = '${id}'`,
      `DELETE FROM "AttestationFile" WHERE "attestationId" = '${id}'`,
      `INSERT INTO "AttestationFile" ("id","attestationId","sha256","name","mime","size","uploadedByLabel") SELECT gen_random_uuid(), '${id}', "sha256", 'extra.pdf', "mime", "size", 'sql' FROM "AttestationFile" WHERE "attestationId" = '${id}' LIMIT 1`,
      `UPDATE "AttestationSubmission" SET "digest" = 'forged' WHERE "attestationId" = '${id}'`,
      `DELETE FROM "AttestationReview" WHERE "attestationId" = '${id}'`,
      `UPDATE "AttestationBlob" SET "content" = 'x'::bytea WHERE "sha256" IN (SELECT "sha256" FROM "AttestationFile" WHERE "attestationId" = '${id}')`,
    ];
    for (const sql of sqls) {
      await expect(db.$executeRawUnsafe(sql), sql).rejects.toThrow(/immutable|cannot change|append-only/);
    }
    const a = await getAttestation(w.csp, id);
    expect(a.state).toBe('approved');
    expect(a.files).toHaveLength(3);
  });

  it('a new revision starts from the approved one and supersedes it once approved', async () => {
    const r2 = await createAttestation(w.csp, w.cloud.slug);
    expect(r2).toMatchObject({ revision: 2, state: 'draft', fileCount: 3 });
    const draft = await getAttestation(w.csp, r2.id);
    expect(draft.statement.validFrom).toBeUndefined();
    expect(draft.statement.secretStore).toBe('pkcs11');
    await updateAttestation(w.csp, r2.id, { validFrom: '2027-01-01' });
    await submitAttestation(w.csp, r2.id, { confirm: true, signerName: 'Ada Ops' });
    clock.advance(86_400_000);
    await reviewAttestation(w.reviewer, r2.id, { decision: 'approve', comment: 'Renewed.' });
    expect((await getAttestation(w.csp, id)).superseded).toBe(true);
    expect((await getAttestation(w.csp, r2.id)).superseded).toBe(false);
    const list = await listCloudAttestations(w.csp, w.cloud.slug);
    expect(list.revisions.map((r) => [r.revision, r.state])).toEqual([
      [2, 'approved'],
      [1, 'approved'],
    ]);
    expect(list.result).toMatchObject({ verdict: 'PASS', revision: 2 });
  });

  it('a rejection is the FAIL of the manual testcase', async () => {
    const r3 = await createAttestation(w.csp, w.cloud.slug);
    await updateAttestation(w.csp, r3.id, { validFrom: '2027-02-01' });
    await submitAttestation(w.csp, r3.id, { confirm: true, signerName: 'Ada Ops' });
    clock.advance(1000);
    await reviewAttestation(w.reviewer, r3.id, {
      decision: 'reject',
      comment: 'The HSM named is not in the evidence.',
    });
    expect((await listCloudAttestations(w.csp, w.cloud.slug)).result).toMatchObject({ verdict: 'FAIL', revision: 3 });
    await expect(
      db.$executeRawUnsafe(`UPDATE "Attestation" SET "state" = 'approved' WHERE "id" = '${r3.id}'`),
    ).rejects.toThrow(/immutable/);
  });

  it('the review queue lists submitted revisions for staff only', async () => {
    const q = await listAttestations(w.reviewer, { state: 'submitted' });
    expect(q.items.every((x) => x.state === 'submitted')).toBe(true);
    expect((await listAttestations(w.csp)).items.every((x) => x.cloud.organization.id === w.orgA.id)).toBe(true);
  });
});
