import { z } from 'zod';
import { db, type Prisma, type Tx } from '../db';
import { authorize, visibleOrganizationIds, type Action } from '../auth/policy';
import { recordAudit } from '../audit';
import { now } from '../clock';
import type { RequestContext } from '../context';
import { AppError, ConflictError, NotFoundError, ValidationError, parseInput } from '../errors';
import { enqueue, messagesWithKeyPrefix, type OutboxView } from '../notify/outbox';
import { pageArgs, toPage, type Page, type PageRequest } from '../pagination';
import { checkboxSchema } from '../validation';
import { expiryOf, maxFileBytes, maxFiles } from './config';
import { submissionDigest, type DigestFile } from './digest';
import { inspectFile } from './files';
import { findMismatches, fieldSeverities, type AutomatedResult, type Finding, type Severity } from './mismatch';
import { manualVerdict, type DecisionRow, type ManualResult } from './result';
import {
  completeStatementSchema,
  draftStatementSchema,
  FIELDS,
  normalizeStatement,
  statementOf,
  STANDARD,
  type Statement,
  type StatementField,
} from './statement';
import { putBlob, readBlob } from './storage';
import { problemsSentence, submissionChanges, submissionProblems, type SubmissionChanges } from './changes';
import { loadCloud, loadFor } from '../resources';

export { MANUAL_TESTCASE, type ManualResult, type ManualVerdict } from './result';

/**
 * Attestations of the Master-KEK step (manual testcase key-manager-docs-check): revisions of a
 * cloud's statement with evidence files, signed on submission and reviewed by staff.
 *
 * States: draft -> submitted -> (changes_requested -> submitted)* -> approved | rejected.
 * Draft and changes_requested are editable by the CSP; submitted waits for review; approved and
 * rejected are final and immutable (here, and by triggers in the database). A new revision
 * starts from the latest one and, once approved, supersedes it; no revision is ever deleted.
 */
export type AttestationState = 'draft' | 'submitted' | 'changes_requested' | 'approved' | 'rejected';
export const OPEN_STATES: AttestationState[] = ['draft', 'submitted', 'changes_requested'];
export const EDITABLE_STATES: AttestationState[] = ['draft', 'changes_requested'];
export const STATE_LABELS: Record<AttestationState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CloudRef {
  id: string;
  slug: string;
  name: string;
  archivedAt: Date | null;
  organization: { id: string; slug: string; name: string };
}

export interface FileView {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  uploadedByLabel: string;
  createdAt: Date;
}
export interface SubmissionView {
  id: string;
  number: number;
  signerName: string;
  signerEmail: string;
  signedAt: Date;
  clientAddress: string | null;
  userAgent: string | null;
  digest: string;
  statement: Statement;
  files: DigestFile[];
}
export interface ReviewView {
  id: string;
  submissionNumber: number;
  decision: 'approve' | 'reject' | 'request_changes';
  comment: string;
  reviewerLabel: string;
  at: Date;
}

export interface AttestationSummary {
  id: string;
  revision: number;
  state: AttestationState;
  standard: string;
  cloud: CloudRef;
  createdByLabel: string;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  approvedAt: Date | null;
  expiresAt: Date | null;
  fileCount: number;
}

export interface AttestationView extends AttestationSummary {
  statement: Statement;
  files: FileView[];
  submissions: SubmissionView[];
  reviews: ReviewView[];
  /** Messages sent to the organization about this revision (reminders, review outcomes). */
  notifications: OutboxView[];
  editable: boolean;
  /** Of the cloud's revisions: is this approved one superseded by a later approval? */
  superseded: boolean;
}

const cloudSelect = {
  select: {
    id: true,
    slug: true,
    name: true,
    archivedAt: true,
    organizationId: true,
    organization: { select: { id: true, slug: true, name: true } },
  },
} as const;

type SummaryRow = Prisma.AttestationGetPayload<{
  include: { cloud: typeof cloudSelect; _count: { select: { files: true } } };
}>;

function cloudRef(c: SummaryRow['cloud']): CloudRef {
  return { id: c.id, slug: c.slug, name: c.name, archivedAt: c.archivedAt, organization: c.organization };
}

function summary(a: SummaryRow): AttestationSummary {
  return {
    id: a.id,
    revision: a.revision,
    state: a.state,
    standard: a.standard,
    cloud: cloudRef(a.cloud),
    createdByLabel: a.createdByLabel,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    submittedAt: a.submittedAt,
    decidedAt: a.decidedAt,
    approvedAt: a.approvedAt,
    expiresAt: a.expiresAt,
    fileCount: a._count.files,
  };
}

const resourceOf = (organizationId: string) => ({ type: 'attestation' as const, organizationId });

/** Loads a revision and asks the policy; a malformed or unknown id is "not found" like a hidden one. */
async function load(ctx: RequestContext, id: string, action: Action) {
  const valid = typeof id === 'string' && UUID.test(id);
  const a = await loadFor(
    ctx,
    action,
    'Attestation',
    valid
      ? db.attestation.findUnique({
          where: { id },
          include: { cloud: cloudSelect, _count: { select: { files: true } } },
        })
      : null,
    (x) => resourceOf(x.cloud.organizationId),
  );
  // Reading needs the read right too (a reviewer acting on a revision also reads it).
  if (action !== 'attestation.read') authorize(ctx.actor, 'attestation.read', resourceOf(a.cloud.organizationId));
  return a;
}

function refuseState(a: { revision: number; state: AttestationState }, doing: string): never {
  if (a.state === 'approved' || a.state === 'rejected') {
    throw new ConflictError(
      `Revision ${a.revision} is ${a.state} and can no longer change (${doing} refused); start a new revision to supersede it.`,
    );
  }
  if (a.state === 'submitted')
    throw new ConflictError(
      `Revision ${a.revision} is submitted and waits for review; it cannot change (${doing} refused) unless the reviewer requests changes.`,
    );
  throw new ConflictError(
    `Revision ${a.revision} is ${STATE_LABELS[a.state].toLowerCase()}: ${doing} is not possible now.`,
  );
}

/** Locks the revision row for this transaction and returns its current state. */
async function lockState(tx: Tx, id: string): Promise<{ state: AttestationState; revision: number }> {
  const rows = await tx.$queryRaw<
    { state: AttestationState; revision: number }[]
  >`SELECT "state"::text AS "state", "revision" FROM "Attestation" WHERE "id" = ${id}::uuid FOR UPDATE`;
  if (!rows[0]) throw new NotFoundError('Attestation');
  return rows[0];
}

const IMMUTABLE_MESSAGE = /decided revisions are immutable|cannot change: the revision is|is append-only/;

/** Runs a transaction; the database's immutability triggers become a clear 409. */
async function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.$transaction(fn, { timeout: 30_000 });
  } catch (err) {
    if (err instanceof AppError) throw err;
    const text =
      err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err);
    if (IMMUTABLE_MESSAGE.test(text))
      throw new ConflictError('This revision has been decided and is immutable; start a new revision to supersede it.');
    if (/Attestation_one_open_per_cloud|Unique constraint/i.test(text))
      throw new ConflictError('This cloud already has an open attestation revision; continue that one.');
    throw err;
  }
}

function label(ctx: RequestContext): string {
  return [ctx.actor?.email, ctx.via && `via ${ctx.via}`].filter(Boolean).join(' ') || 'system';
}

/** Asks the policy about a revision before a route reads a request body (e.g. an upload). */
export async function authorizeAttestation(ctx: RequestContext, id: string, action: Action): Promise<void> {
  await load(ctx, id, action);
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function getAttestation(ctx: RequestContext, id: string): Promise<AttestationView> {
  const a = await load(ctx, id, 'attestation.read');
  const [files, submissions, reviews, notifications, newer] = await Promise.all([
    db.attestationFile.findMany({ where: { attestationId: a.id }, orderBy: { createdAt: 'asc' } }),
    db.attestationSubmission.findMany({ where: { attestationId: a.id }, orderBy: { number: 'asc' } }),
    db.attestationReview.findMany({
      where: { attestationId: a.id },
      orderBy: { at: 'asc' },
      include: { submission: { select: { number: true } } },
    }),
    messagesWithKeyPrefix(`attestation:${a.id}:`),
    a.state === 'approved'
      ? db.attestation.count({ where: { cloudId: a.cloudId, state: 'approved', revision: { gt: a.revision } } })
      : Promise.resolve(0),
  ]);
  return {
    ...summary(a),
    statement: statementOf(a.statement),
    files: files.map((f) => ({
      id: f.id,
      name: f.name,
      mime: f.mime,
      size: f.size,
      sha256: f.sha256,
      uploadedByLabel: f.uploadedByLabel,
      createdAt: f.createdAt,
    })),
    submissions: submissions.map((s) => ({
      id: s.id,
      number: s.number,
      signerName: s.signerName,
      signerEmail: s.signerEmail,
      signedAt: s.signedAt,
      clientAddress: s.clientAddress,
      userAgent: s.userAgent,
      digest: s.digest,
      statement: statementOf(s.statement),
      files: (s.files as unknown as DigestFile[]) ?? [],
    })),
    reviews: reviews.map((r) => ({
      id: r.id,
      submissionNumber: r.submission.number,
      decision: r.decision,
      comment: r.comment,
      reviewerLabel: r.reviewerLabel,
      at: r.at,
    })),
    notifications,
    editable: EDITABLE_STATES.includes(a.state),
    superseded: newer > 0,
  };
}

export interface CloudAttestations {
  cloud: CloudRef;
  revisions: AttestationSummary[];
  open: AttestationSummary | null;
  result: ManualResult;
}

export async function listCloudAttestations(ctx: RequestContext, slug: string): Promise<CloudAttestations> {
  const c = await loadCloud(ctx, { slug }, 'attestation.read', cloudSelect.select);
  const rows = await db.attestation.findMany({
    where: { cloudId: c.id },
    orderBy: { revision: 'desc' },
    include: { cloud: cloudSelect, _count: { select: { files: true } } },
  });
  const revisions = rows.map(summary);
  return {
    cloud: cloudRef(c),
    revisions,
    open: revisions.find((r) => OPEN_STATES.includes(r.state)) ?? null,
    result: manualVerdict(decisionsOf(rows), now()),
  };
}

function decisionsOf(
  rows: { id: string; revision: number; state: AttestationState; decidedAt: Date | null; expiresAt: Date | null }[],
): DecisionRow[] {
  return rows
    .filter(
      (r): r is typeof r & { state: 'approved' | 'rejected'; decidedAt: Date } =>
        (r.state === 'approved' || r.state === 'rejected') && !!r.decidedAt,
    )
    .map((r) => ({ id: r.id, revision: r.revision, state: r.state, decidedAt: r.decidedAt, expiresAt: r.expiresAt }));
}

/** The manual testcase result of a cloud at `at` (no policy: for lib/compliance and jobs). */
export async function manualResultForCloud(cloudId: string, at: Date = now()): Promise<ManualResult> {
  const rows = await db.attestation.findMany({
    where: { cloudId, state: { in: ['approved', 'rejected'] } },
    select: { id: true, revision: true, state: true, decidedAt: true, expiresAt: true },
  });
  return manualVerdict(decisionsOf(rows), at);
}

/** The cloud's manual testcase result for a page or the API (asks the policy). */
export async function cloudManualResult(ctx: RequestContext, slug: string): Promise<ManualResult> {
  const c = await loadCloud(ctx, { slug }, 'attestation.read', cloudSelect.select);
  return manualResultForCloud(c.id);
}

export async function listAttestations(
  ctx: RequestContext,
  req: PageRequest & { state?: string; organization?: string } = {},
): Promise<Page<AttestationSummary>> {
  authorize(ctx.actor, 'attestation.list', { type: 'global' });
  const ids = visibleOrganizationIds(ctx.actor);
  const state = (Object.keys(STATE_LABELS) as AttestationState[]).find((s) => s === req.state);
  const where: Prisma.AttestationWhereInput = {
    ...(ids ? { cloud: { organizationId: { in: ids } } } : {}),
    ...(state ? { state } : {}),
    ...(req.organization
      ? { cloud: { organization: { slug: req.organization }, ...(ids ? { organizationId: { in: ids } } : {}) } }
      : {}),
  };
  const { skip, take, page, pageSize } = pageArgs(req);
  const orderBy: Prisma.AttestationOrderByWithRelationInput[] =
    state === 'submitted' ? [{ submittedAt: 'asc' }] : [{ updatedAt: 'desc' }];
  const [rows, total] = await Promise.all([
    db.attestation.findMany({
      where,
      orderBy,
      skip,
      take,
      include: { cloud: cloudSelect, _count: { select: { files: true } } },
    }),
    db.attestation.count({ where }),
  ]);
  return toPage(rows.map(summary), total, page, pageSize);
}

// ---------------------------------------------------------------------------------------------
// The CSP's side: create, edit, files, submit

function parseStatementPatch(input: unknown): Partial<Record<StatementField, string | undefined>> {
  if (!input || typeof input !== 'object' || Array.isArray(input))
    throw new ValidationError({ _: 'Send the statement as an object of answers.' });
  const raw = input as Record<string, unknown>;
  const data = parseInput(draftStatementSchema, raw);
  const patch: Partial<Record<StatementField, string | undefined>> = {};
  for (const k of FIELDS) if (k in raw) patch[k] = (data as Record<string, string | undefined>)[k];
  return patch;
}

function applyPatch(current: Statement, patch: Partial<Record<StatementField, string | undefined>>): Statement {
  const merged: Record<string, string | undefined> = { ...current };
  for (const [k, v] of Object.entries(patch)) merged[k] = v;
  return normalizeStatement(merged as Statement);
}

/**
 * Starts a new revision for a cloud: from the latest revision's statement (without its date)
 * and evidence, so a quarterly renewal changes only what changed. Refused while one is open.
 */
export async function createAttestation(
  ctx: RequestContext,
  slug: string,
  input?: unknown,
): Promise<AttestationSummary> {
  const c = await loadCloud(ctx, { slug }, 'attestation.write', cloudSelect.select);
  if (c.archivedAt) throw new ConflictError(`Cloud ${c.slug} is archived; restore it before attesting.`);
  const patch = input === undefined || input === null ? {} : parseStatementPatch(input);
  const id = await transaction(async (tx) => {
    // Serialize revision numbering per cloud.
    await tx.$queryRaw`SELECT 1 FROM "Cloud" WHERE "id" = ${c.id}::uuid FOR UPDATE`;
    const open = await tx.attestation.findFirst({ where: { cloudId: c.id, state: { in: OPEN_STATES } } });
    if (open)
      throw new ConflictError(
        `Revision ${open.revision} of ${c.slug} is still ${STATE_LABELS[open.state].toLowerCase()}; continue it instead of starting another.`,
        { id: open.id },
      );
    const latest = await tx.attestation.findFirst({
      where: { cloudId: c.id },
      orderBy: { revision: 'desc' },
      include: { files: true },
    });
    const base = latest ? { ...statementOf(latest.statement), validFrom: undefined } : {};
    const statement = applyPatch(base, patch);
    const a = await tx.attestation.create({
      data: {
        cloudId: c.id,
        revision: (latest?.revision ?? 0) + 1,
        standard: STANDARD,
        statement: statement as Prisma.InputJsonValue,
        createdById: ctx.actor?.id || null,
        createdByLabel: label(ctx),
        createdAt: now(),
        updatedAt: now(),
      },
    });
    if (latest && latest.files.length > 0) {
      await tx.attestationFile.createMany({
        data: latest.files.slice(0, maxFiles()).map((f) => ({
          attestationId: a.id,
          sha256: f.sha256,
          name: f.name,
          mime: f.mime,
          size: f.size,
          uploadedById: f.uploadedById,
          uploadedByLabel: f.uploadedByLabel,
          createdAt: now(),
        })),
      });
    }
    await recordAudit(tx, ctx, {
      action: 'attestation.create',
      targetType: 'attestation',
      targetId: a.id,
      organizationId: c.organizationId,
      summary: `started revision ${a.revision} of the key-manager attestation of ${c.slug}${latest ? ` from revision ${latest.revision} (${latest.files.length} evidence files carried over)` : ''}`,
    });
    return a.id;
  });
  const a = await load(ctx, id, 'attestation.read');
  return summary(a);
}

/** Saves answers of an editable revision; only the fields present in `input` change. */
export async function updateAttestation(ctx: RequestContext, id: string, input: unknown): Promise<AttestationSummary> {
  const a = await load(ctx, id, 'attestation.write');
  const patch = parseStatementPatch(input);
  await transaction(async (tx) => {
    const cur = await lockState(tx, a.id);
    if (!EDITABLE_STATES.includes(cur.state)) refuseState(cur, 'saving the statement');
    const row = await tx.attestation.findUniqueOrThrow({ where: { id: a.id }, select: { statement: true } });
    const before = statementOf(row.statement);
    const after = applyPatch(before, patch);
    const changed = FIELDS.filter((k) => before[k] !== after[k]);
    if (changed.length === 0) return;
    await tx.attestation.update({
      where: { id: a.id },
      data: { statement: after as Prisma.InputJsonValue, updatedAt: now() },
    });
    await recordAudit(tx, ctx, {
      action: 'attestation.update',
      targetType: 'attestation',
      targetId: a.id,
      organizationId: a.cloud.organizationId,
      summary: `saved revision ${a.revision} of ${a.cloud.slug} (${changed.join(', ')})`,
    });
  });
  return summary(await load(ctx, id, 'attestation.read'));
}

export interface UploadInput {
  name: string;
  bytes: Uint8Array;
}

/**
 * Adds an evidence file. Everything is checked before anything is stored (name, size, type from
 * the content, extension, the per-revision limit, duplicates); the contents and the file row are
 * written in one transaction, and a file written to ATTESTATION_FILES_DIR is removed again
 * when that transaction fails.
 */
export async function addAttestationFile(ctx: RequestContext, id: string, upload: UploadInput): Promise<FileView> {
  const a = await load(ctx, id, 'attestation.write');
  if (!EDITABLE_STATES.includes(a.state)) refuseState(a, 'adding a file');
  const limit = maxFiles();
  if (a._count.files >= limit)
    throw new ValidationError(
      { file: `A revision holds at most ${limit} files; remove one first.` },
      `A revision holds at most ${limit} files; remove one first.`,
    );
  const file = await inspectFile(upload.name, upload.bytes, { maxBytes: maxFileBytes() });
  let pending: { rollback(): Promise<void> } | null = null;
  try {
    return await transaction(async (tx) => {
      const cur = await lockState(tx, a.id);
      if (!EDITABLE_STATES.includes(cur.state)) refuseState(cur, 'adding a file');
      const existing = await tx.attestationFile.findMany({
        where: { attestationId: a.id },
        select: { name: true, sha256: true },
      });
      if (existing.length >= limit)
        throw new ValidationError(
          { file: `A revision holds at most ${limit} files; remove one first.` },
          `A revision holds at most ${limit} files; remove one first.`,
        );
      const same = existing.find((f) => f.sha256 === file.sha256);
      if (same)
        throw new ConflictError(`This content is attached already, as "${same.name}".`, {
          file: `Already attached as "${same.name}".`,
        });
      pending = await putBlob(tx, file.sha256, upload.bytes);
      const row = await tx.attestationFile.create({
        data: {
          attestationId: a.id,
          sha256: file.sha256,
          name: file.name,
          mime: file.mime,
          size: file.size,
          uploadedById: ctx.actor?.id || null,
          uploadedByLabel: label(ctx),
          createdAt: now(),
        },
      });
      await tx.attestation.update({ where: { id: a.id }, data: { updatedAt: now() } });
      await recordAudit(tx, ctx, {
        action: 'attestation.file.add',
        targetType: 'attestation',
        targetId: a.id,
        organizationId: a.cloud.organizationId,
        summary: `attached "${file.name}" (${file.mime}, ${file.size} bytes, sha256 ${file.sha256}) to revision ${a.revision} of ${a.cloud.slug}`,
      });
      return {
        id: row.id,
        name: row.name,
        mime: row.mime,
        size: row.size,
        sha256: row.sha256,
        uploadedByLabel: row.uploadedByLabel,
        createdAt: row.createdAt,
      };
    });
  } catch (err) {
    await (pending as { rollback(): Promise<void> } | null)?.rollback().catch(() => {});
    throw err;
  }
}

export async function removeAttestationFile(ctx: RequestContext, id: string, fileId: string): Promise<void> {
  const a = await load(ctx, id, 'attestation.write');
  if (typeof fileId !== 'string' || !UUID.test(fileId)) throw new NotFoundError('File');
  await transaction(async (tx) => {
    const cur = await lockState(tx, a.id);
    if (!EDITABLE_STATES.includes(cur.state)) refuseState(cur, 'removing a file');
    const f = await tx.attestationFile.findFirst({ where: { id: fileId, attestationId: a.id } });
    if (!f) throw new NotFoundError('File');
    await tx.attestationFile.delete({ where: { id: f.id } });
    await tx.attestation.update({ where: { id: a.id }, data: { updatedAt: now() } });
    await recordAudit(tx, ctx, {
      action: 'attestation.file.remove',
      targetType: 'attestation',
      targetId: a.id,
      organizationId: a.cloud.organizationId,
      summary: `removed "${f.name}" (sha256 ${f.sha256}) from revision ${a.revision} of ${a.cloud.slug}`,
    });
  });
}

/** The verified bytes of an evidence file, for a download. */
export async function readAttestationFile(
  ctx: RequestContext,
  id: string,
  fileId: string,
): Promise<{ name: string; mime: string; sha256: string; bytes: Buffer }> {
  const a = await load(ctx, id, 'attestation.read');
  const f =
    typeof fileId === 'string' && UUID.test(fileId)
      ? await db.attestationFile.findFirst({ where: { id: fileId, attestationId: a.id } })
      : null;
  if (!f) throw new NotFoundError('File');
  const bytes = await readBlob(f.sha256, f.name);
  return { name: f.name, mime: f.mime, sha256: f.sha256, bytes };
}

const TEXT_PREVIEW_BYTES = 64 * 1024;

/** The beginning of each text evidence file of a revision, for the preview (verified reads, through the policy). */
export async function textPreviews(
  ctx: RequestContext,
  attestationId: string,
  files: { id: string; mime: string }[],
): Promise<Record<string, { content: string; truncated: boolean }>> {
  const out: Record<string, { content: string; truncated: boolean }> = {};
  for (const f of files.filter((x) => x.mime.startsWith('text/'))) {
    const { bytes } = await readAttestationFile(ctx, attestationId, f.id);
    out[f.id] = {
      content: new TextDecoder('utf-8').decode(bytes.subarray(0, TEXT_PREVIEW_BYTES)),
      truncated: bytes.length > TEXT_PREVIEW_BYTES,
    };
  }
  return out;
}

export const signatureInput = z.object({
  confirm: checkboxSchema.refine((v) => v, 'Confirm the statement on behalf of your organization.'),
  signerName: z
    .string()
    .trim()
    .min(2, 'Type your full name as your signature.')
    .max(200, 'At most 200 characters.')
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Control characters are not allowed.'),
});

export interface SubmitMeta {
  userAgent?: string | null;
}

/**
 * Submits an editable revision for review, signed: the signer confirms the statement on behalf
 * of the organization; the record keeps name, time, client address, user agent and the SHA-256
 * submission digest over the canonical statement and the files' hashes (lib/attestations/digest).
 */
export async function submitAttestation(
  ctx: RequestContext,
  id: string,
  input: unknown,
  meta: SubmitMeta = {},
): Promise<SubmissionView> {
  const a = await load(ctx, id, 'attestation.submit');
  const sig = parseInput(signatureInput, input ?? {});
  return transaction(async (tx) => {
    const cur = await lockState(tx, a.id);
    if (!EDITABLE_STATES.includes(cur.state)) refuseState(cur, 'submitting');
    const row = await tx.attestation.findUniqueOrThrow({
      where: { id: a.id },
      include: { files: true, _count: { select: { submissions: true } } },
    });
    const current = statementOf(row.statement);
    const problems = submissionProblems(current, row.files.length);
    if (problems.length > 0) {
      throw new ValidationError(
        Object.fromEntries(problems.map((p) => [p.field, p.message])),
        `The statement cannot be submitted yet: ${problemsSentence(problems)}`,
      );
    }
    const statement = normalizeStatement(completeStatementSchema.parse(current));
    const files: DigestFile[] = row.files.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size, mime: f.mime }));
    const digest = submissionDigest({
      attestationId: a.id,
      cloudSlug: a.cloud.slug,
      revision: a.revision,
      standard: a.standard,
      statement,
      files,
    });
    const at = now();
    const s = await tx.attestationSubmission.create({
      data: {
        attestationId: a.id,
        number: row._count.submissions + 1,
        signerId: ctx.actor?.id || null,
        signerName: sig.signerName,
        signerEmail: ctx.actor?.email ?? '',
        signedAt: at,
        clientAddress: ctx.clientAddress,
        userAgent: meta.userAgent?.slice(0, 500) ?? null,
        digest,
        statement: statement as Prisma.InputJsonValue,
        files: files as unknown as Prisma.InputJsonValue,
      },
    });
    await tx.attestation.update({ where: { id: a.id }, data: { state: 'submitted', submittedAt: at, updatedAt: at } });
    await recordAudit(tx, ctx, {
      action: 'attestation.submit',
      targetType: 'attestation',
      targetId: a.id,
      organizationId: a.cloud.organizationId,
      summary: `submitted revision ${a.revision} of ${a.cloud.slug} for review, signed by ${sig.signerName} (submission ${s.number}, digest ${digest})`,
    });
    return {
      id: s.id,
      number: s.number,
      signerName: s.signerName,
      signerEmail: s.signerEmail,
      signedAt: s.signedAt,
      clientAddress: s.clientAddress,
      userAgent: s.userAgent,
      digest: s.digest,
      statement,
      files,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The reviewer's side

export const DECISIONS = { approve: 'Approve', request_changes: 'Request changes', reject: 'Reject' } as const;

export const reviewInput = z.object({
  decision: z.enum(['approve', 'reject', 'request_changes'], { message: 'Choose approve, request changes or reject.' }),
  comment: z
    .string()
    .trim()
    .min(3, 'A comment is required for every decision.')
    .max(10_000, 'At most 10,000 characters.'),
});

export async function reviewAttestation(ctx: RequestContext, id: string, input: unknown): Promise<AttestationSummary> {
  const a = await load(ctx, id, 'attestation.review');
  const r = parseInput(reviewInput, input ?? {});
  await transaction(async (tx) => {
    const cur = await lockState(tx, a.id);
    if (cur.state !== 'submitted') {
      if (cur.state === 'approved' || cur.state === 'rejected') refuseState(cur, 'reviewing');
      throw new ConflictError(
        `Revision ${cur.revision} is ${STATE_LABELS[cur.state].toLowerCase()}, not submitted: there is nothing to review.`,
      );
    }
    const submission = await tx.attestationSubmission.findFirst({
      where: { attestationId: a.id },
      orderBy: { number: 'desc' },
    });
    if (!submission) throw new ConflictError('This revision has no submission to review.');
    const at = now();
    const review = await tx.attestationReview.create({
      data: {
        attestationId: a.id,
        submissionId: submission.id,
        decision: r.decision,
        comment: r.comment,
        reviewerId: ctx.actor?.id || null,
        reviewerLabel: label(ctx),
        at,
      },
    });
    const data: Prisma.AttestationUpdateInput =
      r.decision === 'approve'
        ? { state: 'approved', decidedAt: at, approvedAt: at, expiresAt: expiryOf(at), updatedAt: at }
        : r.decision === 'reject'
          ? { state: 'rejected', decidedAt: at, updatedAt: at }
          : { state: 'changes_requested', updatedAt: at };
    await tx.attestation.update({ where: { id: a.id }, data });
    const outcome =
      r.decision === 'approve' ? 'approved' : r.decision === 'reject' ? 'rejected' : 'returned for changes';
    await enqueue(tx, {
      kind: 'attestation-reviewed',
      organizationId: a.cloud.organizationId,
      cloudId: a.cloud.id,
      subject: `Key-manager attestation for ${a.cloud.name} ${outcome}`,
      body: `Revision ${a.revision} of the key-manager attestation of ${a.cloud.name} (${a.cloud.slug}) was ${outcome} by the reviewer.${r.decision === 'approve' ? ` It holds until ${expiryOf(at).toISOString().slice(0, 10)}.` : ''}\n\nComment:\n${r.comment}`,
      dedupeKey: `attestation:${a.id}:review-${review.id}`,
    });
    await recordAudit(tx, ctx, {
      action: `attestation.${r.decision}`,
      targetType: 'attestation',
      targetId: a.id,
      organizationId: a.cloud.organizationId,
      summary: `${outcome} revision ${a.revision} of ${a.cloud.slug} (submission ${submission.number})`,
    });
  });
  return summary(await load(ctx, id, 'attestation.read'));
}

/** The cloud's latest automated result per testcase (the newest RunResult of each). */
export async function latestAutomatedResults(cloudId: string): Promise<Record<string, AutomatedResult>> {
  const rows = await db.runResult.findMany({
    where: { cloudId },
    orderBy: [{ testcase: 'asc' }, { checkedAt: 'desc' }],
    distinct: ['testcase'],
    select: { testcase: true, verdict: true, message: true, details: true, checkedAt: true },
  });
  return Object.fromEntries(
    rows.map((r) => [
      r.testcase,
      {
        testcase: r.testcase,
        verdict: r.verdict,
        message: r.message,
        checkedAt: r.checkedAt,
        details:
          r.details && typeof r.details === 'object' && !Array.isArray(r.details)
            ? (r.details as Record<string, unknown>)
            : null,
      },
    ]),
  );
}

export interface ReviewSheet {
  attestation: AttestationView;
  results: AutomatedResult[];
  findings: Finding[];
  highlights: Partial<Record<StatementField, Severity>>;
  /**
   * What the latest submission changed against the one before it: the previous submission of this
   * revision, or else the last submission of the previous revision. Null for a first submission.
   */
  compared: { label: string; changes: SubmissionChanges } | null;
  /** Every earlier decision with its comment: this revision's, then the previous revision's. */
  earlierReviews: Array<ReviewView & { revision: number }>;
}

/** What the review page shows: the revision beside the cloud's latest automated results. */
export async function reviewSheet(ctx: RequestContext, id: string): Promise<ReviewSheet> {
  const a = await load(ctx, id, 'attestation.review');
  const attestation = await getAttestation(ctx, a.id);
  const results = await latestAutomatedResults(a.cloud.id);
  const findings = findMismatches(attestation.statement, results);
  const latest = attestation.submissions.at(-1);
  const before = attestation.submissions.at(-2);
  const previousRevision =
    a.revision > 1
      ? await db.attestation.findFirst({
          where: { cloudId: a.cloud.id, revision: a.revision - 1 },
          include: {
            submissions: { orderBy: { number: 'desc' }, take: 1 },
            reviews: { orderBy: { at: 'asc' }, include: { submission: { select: { number: true } } } },
          },
        })
      : null;
  let compared: ReviewSheet['compared'] = null;
  if (latest && before)
    compared = {
      label: `submission ${before.number} of this revision`,
      changes: submissionChanges(before, latest),
    };
  else if (latest && previousRevision?.submissions[0]) {
    const p = previousRevision.submissions[0];
    compared = {
      label: `revision ${previousRevision.revision} (${STATE_LABELS[previousRevision.state].toLowerCase()}), submission ${p.number}`,
      changes: submissionChanges(
        { statement: statementOf(p.statement), files: (p.files as unknown as DigestFile[]) ?? [] },
        latest,
      ),
    };
  }
  const earlierReviews = [
    ...attestation.reviews.map((r) => ({ ...r, revision: a.revision })),
    ...(previousRevision?.reviews ?? []).map((r) => ({
      id: r.id,
      submissionNumber: r.submission.number,
      decision: r.decision,
      comment: r.comment,
      reviewerLabel: r.reviewerLabel,
      at: r.at,
      revision: previousRevision!.revision,
    })),
  ];
  return {
    attestation,
    results: Object.values(results),
    findings,
    highlights: fieldSeverities(findings),
    compared,
    earlierReviews,
  };
}
