// POST /reports: a signed report of the official SCS runner, taken in exactly as the SCS compliance
// monitor takes it (compliance-monitor/monitor.py post_report), so that the runner uploads here by
// changing only its monitor URL:
//   - HTTP Basic auth: the cloud's SCS subject as user name, an API token of a user of the cloud's
//     organization as password (401 "Incorrect username or password" / "Permission denied");
//   - Content-Type application/x-signed-yaml (or -json), else 415;
//   - body "<armoured SSHSIG signature>&<YAML>" (curl joins two --data-binary parts with "&"); the
//     signature (namespace "report") must verify with a key registered for the organization, else 401;
//   - one or more YAML documents, each of this subject (else 401) with a new run.uuid (else 409).
// Each document becomes one run with source official-runner: its key-manager results (1 PASS, 0 ABORT,
// -1 FAIL) become the run's results; the signature and text are kept as received. One transaction:
// either every document is stored, or nothing is.
// A registered key only lets a report in. Whether its runs count toward verdicts and certificates is
// runCounts' decision: only while the certification body approves the signing key (a CSP registers
// keys itself, so its own key would let it vouch for itself), and, with a pin, at the certified
// endpoint. A report signed with an unapproved key is kept and shown; the answer says it does not count.

import { parseAllDocuments } from 'yaml';
import { db, Prisma } from '../db';
import { authorize, PolicyError } from '../auth/policy';
import { recordAudit } from '../audit';
import { refreshWhere } from '../compliance/snapshot';
import { normalizeAuthUrl, normalizeRegion, runCounts } from '../compliance/certified-endpoint';
import { OFFICIAL_TESTCASE_IDS } from '../checks';
import type { RequestContext } from '../context';
import { reportSpec } from '../runs/report';
import { actorForBearer } from '../tokens';
import { PayloadTooLarge, readBodyBytes } from '../api/body';
import { SshSigError, findSigner, parseSignature, verifySignature } from './sshsig';
import { now as clockNow } from '../clock';

export const SIGNATURE_NAMESPACE = 'report';
/** The separator the monitor splits at: the signature's last line, its newline, and curl's "&". */
export const SIGNATURE_SEPARATOR = '-----END SSH SIGNATURE-----\n&';
export const SIGNED_YAML = 'application/x-signed-yaml';
const SIGNED_JSON = 'application/x-signed-json';
/** A runner report against a small lab is 1 MB (its --debug log lines); real clouds log more. */
export const MAX_REPORT_BYTES = 8 * 1024 * 1024;
export const MAX_DOCUMENTS = 20;
/** Uploads per cloud in 24 hours: the runner uploads once per run. */
export const MAX_UPLOADS_PER_DAY = 200;
/** How far a report's checked_at may lie ahead of our clock (clock skew), and how old it may be. */
const FUTURE_SKEW_MS = 5 * 60_000;
export const MAX_REPORT_AGE_DAYS = 7;
const VERDICT_OF = { 1: 'PASS', 0: 'ABORT', [-1]: 'FAIL' } as const;

/** A refusal with the monitor's status code; `detail` is the monitor's field, `error` ours. */
export class ReportRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReportRefusal';
  }
}

const refuse = (status: number, code: string, message: string): never => {
  throw new ReportRefusal(status, code, message);
};

export interface SignedUpload {
  authorization: string | null;
  contentType: string | null;
  /** The body, or how to read it: read only after the credentials and the type passed (as the monitor). */
  body: Buffer | (() => Promise<Buffer>);
  clientAddress: string | null;
}

export interface AcceptedReport {
  cloud: string;
  subject: string;
  /** Per document: its run, verdicts, and whether they count (runCounts: the signing key's approval, the pin). */
  runs: Array<{
    id: string;
    runUuid: string;
    results: Record<string, string>;
    counts: boolean;
    notCountedReason: string | null;
  }>;
}

/** "Basic base64(user:password)" -> the pair; null when absent or not Basic. */
export function basicCredentials(header: string | null): { user: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The media type without parameters, lower-case. */
function mediaType(header: string | null): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Splits "<signature>&<text>" where the monitor does; null when there is no signature. */
export function splitSignedBody(text: string): { signature: string; report: string } | null {
  const at = text.indexOf(SIGNATURE_SEPARATOR);
  if (at < 0) return null;
  const end = at + SIGNATURE_SEPARATOR.length;
  return { signature: text.slice(0, end - 1), report: text.slice(end) };
}

const BAD_CREDENTIALS = 'Incorrect username or password';

/** Who uploads, for which cloud: the Basic user is the SCS subject, the password an API token. */
async function uploader(authorization: string | null) {
  const creds = basicCredentials(authorization);
  if (!creds)
    refuse(
      401,
      'unauthenticated',
      `${BAD_CREDENTIALS}: send HTTP Basic auth with the cloud's SCS subject as user name and an API token as password.`,
    );
  const cloud = await db.cloud.findUnique({
    where: { scsSubject: creds!.user },
    select: {
      id: true,
      slug: true,
      scsSubject: true,
      archivedAt: true,
      organizationId: true,
      certifiedAuthUrl: true,
      certifiedRegion: true,
      organization: { select: { slug: true, archivedAt: true } },
    },
  });
  const actor = await actorForBearer(creds!.password);
  // The same answer for an unknown subject and a bad token: neither is revealed.
  if (!cloud || !actor) return refuse(401, 'unauthenticated', `${BAD_CREDENTIALS}.`);
  try {
    authorize(actor, 'report.upload', { type: 'cloud', organizationId: cloud.organizationId });
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    // A cloud the user may not even see is answered like an unknown subject (its existence is not revealed).
    if (err.decision === 'hidden') refuse(401, 'unauthenticated', `${BAD_CREDENTIALS}.`);
    refuse(
      401,
      'forbidden',
      `Permission denied: ${actor.email} may not upload reports for subject ${creds!.user} (only users of the organization that operates the cloud may).`,
    );
  }
  if (cloud.archivedAt || cloud.organization.archivedAt)
    refuse(409, 'conflict', `Cloud ${cloud.slug} is archived; reports for it are not taken.`);
  return { actor, cloud: { ...cloud, scsSubject: cloud.scsSubject ?? cloud.slug } };
}

type Document = Record<string, unknown>;
const isMap = (v: unknown): v is Document => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** The instant of a YAML timestamp (PyYAML writes datetime.now() without zone: read as UTC, like the monitor). */
function instant(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)?$/.exec(v.trim());
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

interface ParsedDocument {
  index: number;
  runUuid: string;
  checkedAt: Date;
  referenceDate: string | null;
  results: Map<string, { verdict: 'PASS' | 'FAIL' | 'ABORT'; value: number; invocation: Document }>;
  invocations: number;
  /** The endpoint the report names (run.assignment), normalized as our own runs record theirs. */
  endpoint: { authUrl: string | null; region: string | null };
}

/** Assignment keys that name the endpoint (a subject mapping in the runner's config.toml, or -a KEY=VALUE). */
const AUTH_URL_KEYS = ['auth_url', 'os_auth_url'];
const REGION_KEYS = ['region', 'region_name', 'os_region_name'];

/**
 * The Keystone endpoint a report names: upstream reports carry none of their own, so a CSP whose
 * cloud has a pinned certified endpoint states it in the run's assignment (`auth_url`, `region`),
 * which scs-compliance-check.py writes into the signed report. Without it the run is kept but, with
 * a pin, does not count (lib/compliance/certified-endpoint.ts runCounts, as for our own runs).
 */
export function namedEndpoint(run: Document | null): { authUrl: string | null; region: string | null } {
  const a = isMap(run?.assignment) ? run.assignment : {};
  const pick = (keys: string[]) => {
    const v = keys.map((k) => a[k]).find((x) => typeof x === 'string' && x.trim() !== '');
    return typeof v === 'string' ? v.trim().slice(0, 500) : null;
  };
  const authUrl = pick(AUTH_URL_KEYS);
  return { authUrl: authUrl === null ? null : normalizeAuthUrl(authUrl), region: normalizeRegion(pick(REGION_KEYS)) };
}

/** The YAML documents of a report, checked for what a run needs; 422 says which document and why. */
export function parseReport(text: string, subject: string, now: Date): ParsedDocument[] {
  const docs = parseAllDocuments(text, { version: '1.1', prettyErrors: true });
  if (!Array.isArray(docs)) return refuse(422, 'invalid_report', 'The report has no YAML document.');
  const out: ParsedDocument[] = [];
  if (docs.length > MAX_DOCUMENTS)
    refuse(
      422,
      'invalid_report',
      `The report has ${docs.length} documents; at most ${MAX_DOCUMENTS} are taken at once.`,
    );
  for (const [i, doc] of docs.entries()) {
    const where = docs.length > 1 ? `Document ${i + 1}` : 'The report';
    if (doc.errors.length > 0)
      refuse(422, 'invalid_report', `${where} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const d = doc.toJS({ maxAliasCount: 50 }) as unknown;
    if (d === null || d === undefined) continue; // an empty document, as "---" at the end
    if (!isMap(d)) return refuse(422, 'invalid_report', `${where} is not a mapping (spec, checked_at, subject, run).`);
    // The subject first: another subject's report is a 401, as at the monitor.
    if (d.subject !== subject)
      refuse(
        401,
        'forbidden',
        `Permission denied: ${where.toLowerCase()} is for subject "${String(d.subject).slice(0, 100)}", not "${subject}" (the user name you sent).`,
      );
    const spec = isMap(d.spec) ? d.spec : null;
    const ours = reportSpec();
    if (spec?.uuid !== ours.uuid)
      refuse(
        422,
        'invalid_report',
        `${where} is for scope ${String(spec?.name ?? spec?.uuid ?? 'none').slice(0, 80)}; this dashboard takes reports of ${ours.name} (${ours.uuid}).`,
      );
    const run = isMap(d.run) ? d.run : null;
    const runUuid = typeof run?.uuid === 'string' ? run.uuid.trim() : '';
    if (!runUuid || runUuid.length > 100) refuse(422, 'invalid_report', `${where} has no run.uuid.`);
    const checkedAt = instant(d.checked_at);
    if (!checkedAt) return refuse(422, 'invalid_report', `${where} has no valid checked_at timestamp.`);
    if (checkedAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
      refuse(
        422,
        'invalid_report',
        `${where} was checked at ${checkedAt.toISOString()}, in the future; check the runner's clock.`,
      );
    if (checkedAt.getTime() < now.getTime() - MAX_REPORT_AGE_DAYS * 86400_000)
      refuse(
        422,
        'invalid_report',
        `${where} was checked at ${checkedAt.toISOString()}, more than ${MAX_REPORT_AGE_DAYS} days ago; upload reports when the runner writes them.`,
      );
    const invocations = isMap(run?.invocations) ? run.invocations : null;
    if (!invocations) return refuse(422, 'invalid_report', `${where} has no run.invocations.`);
    const results: ParsedDocument['results'] = new Map();
    for (const inv of Object.values(invocations)) {
      if (!isMap(inv) || !isMap(inv.results))
        return refuse(422, 'invalid_report', `${where}: every invocation needs a results mapping.`);
      for (const [testcase, value] of Object.entries(inv.results)) {
        if (value !== 1 && value !== 0 && value !== -1)
          refuse(
            422,
            'invalid_report',
            `${where}: the result of ${testcase.slice(0, 80)} is ${String(value).slice(0, 20)}, not 1, 0 or -1.`,
          );
        // Later invocations win, as scs-compliance-check.py merges them.
        if ((OFFICIAL_TESTCASE_IDS as readonly string[]).includes(testcase))
          results.set(testcase, { verdict: VERDICT_OF[value as 1 | 0 | -1], value: value as number, invocation: inv });
      }
    }
    if (results.size === 0)
      refuse(
        422,
        'invalid_report',
        `${where} holds no result of a key-manager testcase (${OFFICIAL_TESTCASE_IDS.join(', ')}); nothing to take.`,
      );
    const ref = d.reference_date instanceof Date ? d.reference_date.toISOString().slice(0, 10) : d.reference_date;
    out.push({
      index: i,
      runUuid,
      checkedAt,
      referenceDate: typeof ref === 'string' ? ref.slice(0, 10) : null,
      results,
      invocations: Object.keys(invocations).length,
      endpoint: namedEndpoint(run),
    });
  }
  if (out.length === 0) refuse(422, 'invalid_report', 'The report has no YAML document.');
  const uuids = out.map((d) => d.runUuid);
  const dup = uuids.find((u, i) => uuids.indexOf(u) !== i);
  if (dup) refuse(409, 'conflict', `Conflict: run.uuid ${dup} appears twice in this report.`);
  return out;
}

/** The message of an imported result: what the runner ran, and its first error lines. */
function resultMessage(inv: Document): string {
  const cmd = typeof inv.cmd === 'string' ? inv.cmd.split(' ').slice(0, 3).join(' ') : 'the official runner';
  const stderr = Array.isArray(inv.stderr) ? inv.stderr.filter((l): l is string => typeof l === 'string') : [];
  const errors = stderr.filter((l) => /^(error|critical):/i.test(l)).slice(0, 3);
  const tail = errors.length ? ` Its log: ${errors.map((l) => l.slice(0, 200)).join(' | ')}` : '';
  return `Reported by the official SCS runner (signed upload; ${cmd.slice(0, 120)} …, rc ${String(inv.rc ?? '?')}).${tail}`;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return !!e && (e.code === 'P2002' || e.code === '23505' || /unique constraint/i.test(String(e.message)));
}

/** Takes one signed upload; throws ReportRefusal with the monitor's status code otherwise. */
export async function acceptSignedReport(upload: SignedUpload, now = clockNow()): Promise<AcceptedReport> {
  const { actor, cloud } = await uploader(upload.authorization);
  const type = mediaType(upload.contentType);
  if (type !== SIGNED_YAML && type !== SIGNED_JSON)
    refuse(415, 'unsupported_media_type', `Unsupported Media Type "${type}": send Content-Type: ${SIGNED_YAML}.`);
  const body = typeof upload.body === 'function' ? await upload.body() : upload.body;
  if (body.length > MAX_REPORT_BYTES)
    refuse(413, 'too_large', `The upload has ${body.length} bytes; at most ${MAX_REPORT_BYTES} are taken.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return refuse(400, 'invalid_encoding', 'The upload is not UTF-8 text.');
  }
  const parts = splitSignedBody(text);
  if (!parts)
    return refuse(
      401,
      'missing_signature',
      'missing signature: send "<ssh-keygen -Y sign -n report output>&<report>" (curl --data-binary @report.yaml.sig --data-binary @report.yaml).',
    );

  const keys = await db.organizationKey.findMany({ where: { organizationId: cloud.organizationId } });
  let signer: (typeof keys)[number] | undefined;
  try {
    const sig = parseSignature(parts.signature);
    signer = findSigner(
      sig,
      keys.map((k) => ({ ...k, blob: Buffer.from(k.publicKey.split(' ')[1] ?? '', 'base64') })),
    );
    if (!signer)
      refuse(
        401,
        'verification_failed',
        `verification failed: the report is signed with key ${sig.publicKey.fingerprint}, which is not registered for organization ${cloud.organization.slug} (register it under Report-signing keys).`,
      );
    verifySignature(sig, Buffer.from(parts.report, 'utf8'), SIGNATURE_NAMESPACE);
  } catch (err) {
    if (err instanceof SshSigError) refuse(401, 'verification_failed', `verification failed: ${err.message}`);
    throw err;
  }

  const docs = parseReport(parts.report, cloud.scsSubject, now);
  const pin =
    cloud.certifiedAuthUrl && cloud.certifiedRegion
      ? { authUrl: cloud.certifiedAuthUrl, region: cloud.certifiedRegion }
      : null;
  const ctx: RequestContext = { actor, clientAddress: upload.clientAddress, via: 'signed report upload' };
  let accepted: AcceptedReport['runs'];
  try {
    accepted = await db.$transaction(async (tx) => {
      const since = new Date(now.getTime() - 86400_000);
      const recent = await tx.reportUpload.count({ where: { cloudId: cloud.id, createdAt: { gte: since } } });
      if (recent >= MAX_UPLOADS_PER_DAY)
        refuse(
          429,
          'too_many_uploads',
          `Cloud ${cloud.slug} had ${recent} uploads in the last 24 hours; try again later.`,
        );
      const row = await tx.reportUpload.create({
        data: {
          organizationId: cloud.organizationId,
          cloudId: cloud.id,
          subject: cloud.scsSubject,
          signature: parts.signature,
          body: parts.report,
          keyId: signer!.id,
          keyFingerprint: signer!.fingerprint,
          uploadedById: actor.id || null,
          uploadedByLabel: actor.email,
          clientAddress: upload.clientAddress,
        },
      });
      // The key row, locked until commit: its approval now decides whether these runs count, and an
      // approval or withdrawal in flight waits for this upload (it then makes the snapshot stale).
      const key = await tx.organizationKey.update({ where: { id: signer!.id }, data: { lastUsedAt: now } });
      const signedBy = { name: key.name, fingerprint: key.fingerprint, approvedAt: key.approvedAt };
      const runs: AcceptedReport['runs'] = [];
      const causes: Array<string | null> = [];
      for (const d of docs) {
        const run = await tx.run.create({
          data: {
            cloudId: cloud.id,
            status: 'finished',
            trigger: 'upload',
            source: 'official_runner',
            reportUuid: d.runUuid,
            uploadId: row.id,
            authUrl: d.endpoint.authUrl,
            region: d.endpoint.region,
            requestedById: actor.id || null,
            queuedAt: d.checkedAt,
            startedAt: d.checkedAt,
            finishedAt: d.checkedAt,
            report: {
              source: 'official-runner',
              upload: row.id,
              document: d.index,
              referenceDate: d.referenceDate,
              signedBy: { key: signer!.name, fingerprint: signer!.fingerprint },
            } satisfies Prisma.InputJsonValue,
          },
        });
        await tx.runResult.createMany({
          data: [...d.results].map(([testcase, r]) => ({
            runId: run.id,
            cloudId: cloud.id,
            testcase,
            verdict: r.verdict,
            message: resultMessage(r.invocation),
            details: { source: 'official-runner', value: r.value, invocation: String(r.invocation.id ?? '') },
            durationMs: 0,
            checkedAt: d.checkedAt,
          })),
        });
        const counting = runCounts(pin, { ...d.endpoint, source: 'official_runner', signedBy });
        runs.push({
          id: run.id,
          runUuid: d.runUuid,
          results: Object.fromEntries([...d.results].map(([t, r]) => [t, r.verdict])),
          counts: counting.counts,
          notCountedReason: counting.reason,
        });
        causes.push(counting.cause);
      }
      await recordAudit(tx, ctx, {
        action: 'report.upload',
        targetType: 'cloud',
        targetId: cloud.slug,
        organizationId: cloud.organizationId,
        summary: `uploaded a signed report of the official runner for ${cloud.slug} (key "${signer!.name}", ${signer!.fingerprint}): ${runs
          .map(
            (r, i) =>
              `run ${r.runUuid}: ${Object.entries(r.results)
                .map(([t, v]) => `${t} ${v}`)
                .join(
                  ', ',
                )}${r.counts ? '' : ` (not counted: ${causes[i] === 'signing-key' ? 'the signing key is not approved' : 'not the certified endpoint'})`}`,
          )
          .join('; ')}`,
      });
      return runs;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      refuse(409, 'conflict', 'Conflict: report already present (a run.uuid of this report was uploaded before).');
    throw err;
  }
  // Store the cloud's new compliance now (best effort: a reader recomputes a stale snapshot anyway).
  await refreshWhere(Prisma.sql`c.id = ${cloud.id}::uuid`).catch(() => {});
  return { cloud: cloud.slug, subject: cloud.scsSubject, runs: accepted };
}

/** The body through the API's one body reader, with the report cap; its 413 in the monitor's shape. */
export async function readReportBody(req: Request, max = MAX_REPORT_BYTES): Promise<Buffer> {
  try {
    return Buffer.from(await readBodyBytes(req, max, 'The upload'));
  } catch (err) {
    if (err instanceof PayloadTooLarge) return refuse(413, 'too_large', err.message);
    throw err;
  }
}

/** The HTTP answer of POST /reports: JSON with the monitor's `detail` beside our `error`. */
export async function reportsResponse(req: Request, clientAddress: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  try {
    // Credentials and type first (as the monitor), then the body.
    const accepted = await acceptSignedReport({
      authorization: req.headers.get('authorization'),
      contentType: req.headers.get('content-type'),
      body: () => readReportBody(req),
      clientAddress,
    });
    return Response.json(accepted, { status: 200, headers });
  } catch (err) {
    if (!(err instanceof ReportRefusal)) throw err;
    if (err.status === 401 && err.code === 'unauthenticated') headers['WWW-Authenticate'] = 'Basic realm="SCS reports"';
    return Response.json(
      { detail: err.message, error: { code: err.code, message: err.message } },
      { status: err.status, headers },
    );
  }
}
