// The certified endpoint of a cloud: the Keystone auth URL and region that staff (admin, reviewer)
// pin as the identity of the cloud being certified. The party being certified may otherwise point
// its credential at any Keystone, even one that always passes. With a pin:
//   - a credential for another endpoint cannot be saved (422 naming the pinned one, lib/credentials);
//   - a run records the endpoint its credential named (Run.authUrl, Run.region), is kept and shown,
//     but counts toward verdicts and certificates only when that endpoint is the pinned one.
// `runCounts` is the one decision "does this run count"; `countedSql` is the same rule for the
// verdict queries (data.ts), over normalized values stored by the same normalizeAuthUrl. Changing the
// pin is staff-only (policy cloud.pin) and audited; it makes the cloud's snapshot stale (trigger), so
// the verdicts follow the pin at once.
//
// Imported runs (source official-runner, POST /reports) must pass one more test first: the upload was
// signed with a key the certification body approved, and that approval stands now. In SCS the reports
// that count come from SCS's own runner (Zuul) key; a CSP registers its organization's keys itself, so
// a key it generated would let the certified party vouch for itself. Approving, withdrawing and
// removing an approved key are staff's (lib/interop/keys.ts) and make the organization's snapshots
// stale (trigger, migration key_approval). Our own dashboard runs are not signed and not affected.

import { z } from 'zod';
import { db, Prisma, type RunSource } from '../db';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { ValidationError, parseInput } from '../errors';
import { now as clockNow } from '../clock';
import { loadCloud } from '../resources';

export interface Endpoint {
  /** Normalized (normalizeAuthUrl); null when the run's endpoint was not recorded. */
  authUrl: string | null;
  region: string | null;
}

export interface CertifiedEndpoint {
  authUrl: string;
  region: string;
  pinnedAt: Date | null;
  pinnedBy: string | null;
}

/**
 * One spelling per Keystone: scheme and host in lower case, the default port dropped (443 for
 * https, 80 for http), query and fragment dropped, trailing slashes and a trailing version segment
 * (`/v3`, `/v3.0`, `/v2.0`) dropped. `https://Keystone.Example.com:443/v3/` and
 * `https://keystone.example.com` are the same endpoint; another host, port, scheme or path prefix
 * (`/identity`) is not.
 */
export function normalizeAuthUrl(raw: string): string {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return text.toLowerCase().replace(/\/+$/, '');
  }
  let path = u.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  path = path.replace(/\/v(?:3|3\.0|2\.0)$/i, '').replace(/\/+$/, '');
  // URL() already lower-cases scheme and host and drops a default port.
  return `${u.protocol}//${u.host}${path}`;
}

export function normalizeRegion(region: string | null | undefined): string | null {
  const r = region?.trim();
  return r ? r : null;
}

export interface Counting {
  counts: boolean;
  /** Why not, one sentence (null when it counts): the unapproved signing key, or both endpoints. */
  reason: string | null;
  /** Which rule it failed, for short labels (the timeline): null when it counts. */
  cause: 'signing-key' | 'endpoint' | null;
}

/** The key an imported run's upload was signed with, as it stands now. */
export interface SigningKeyState {
  /** Its name; null when the key was removed since (the upload keeps only the fingerprint). */
  name: string | null;
  fingerprint: string;
  /** When the certification body approved it; null: not approved (or approval withdrawn). */
  approvedAt: Date | null;
}

/** What decides whether a run counts: where it ran and, for an imported report, who signed it. */
export interface RunOrigin extends Endpoint {
  /** Run.source: our own checks, or an imported report of the official runner. */
  source: RunSource;
  /** Imported runs: the signing key now (null: the upload is gone or names none). Ignored for our own runs. */
  signedBy?: SigningKeyState | null;
}

const describe = (e: { authUrl: string | null; region: string | null }) =>
  `${e.authUrl ?? 'an unrecorded endpoint'}${e.region ? ` (region ${e.region})` : ''}`;

const KEPT = 'kept and shown, but it does not count toward verdicts or certificates.';

/** Why an imported run's signature does not vouch for it (null: signed with a key approved now). */
function unapprovedSigner(signedBy: SigningKeyState | null | undefined): string | null {
  if (!signedBy) return `Imported from a report whose signing key is no longer on record; ${KEPT}`;
  if (signedBy.name === null)
    return `Imported from a report signed with key ${signedBy.fingerprint}, which has been removed since; ${KEPT}`;
  if (signedBy.approvedAt === null)
    return `Imported from a report signed with key "${signedBy.name}" (${signedBy.fingerprint}), which the certification body has not approved; ${KEPT}`;
  return null;
}

/**
 * Whether the results of a run count toward the verdicts and certificates of a cloud with this pin
 * (null: no pin). The one rule; countedSql is its SQL twin:
 *   1. an imported run (official-runner) counts only when its upload was signed with a key that the
 *      certification body approved and still approves (our own runs skip this);
 *   2. with a pin, only results obtained at the pinned endpoint count.
 * When both fail, the reason names the signing key (the first thing to fix).
 */
export function runCounts(pin: Pick<CertifiedEndpoint, 'authUrl' | 'region'> | null, run: RunOrigin): Counting {
  if (run.source === 'official_runner') {
    const unsigned = unapprovedSigner(run.signedBy);
    if (unsigned) return { counts: false, reason: unsigned, cause: 'signing-key' };
  }
  if (!pin) return { counts: true, reason: null, cause: null };
  const authUrl = run.authUrl === null ? null : normalizeAuthUrl(run.authUrl);
  if (authUrl === pin.authUrl && normalizeRegion(run.region) === pin.region)
    return { counts: true, reason: null, cause: null };
  return {
    counts: false,
    cause: 'endpoint',
    reason:
      run.authUrl === null
        ? `The endpoint of this run was not recorded, so it cannot be shown to be the certified endpoint ${describe(pin)}; its results do not count toward verdicts or certificates.`
        : `This run's credential named ${describe({ authUrl, region: normalizeRegion(run.region) })}, not the certified endpoint ${describe(pin)} that staff pinned; its results are kept but do not count toward verdicts or certificates.`,
  };
}

/**
 * SQL twin of runCounts over a run `r` ("Run": authUrl, region stored normalized) of a cloud `c`
 * ("Cloud"). The history queries filter hundreds of thousands of results with it: a dashboard run
 * is decided by its own columns (the OR stops at `source`, no join); only imported runs probe their
 * upload and its key by primary key.
 */
export function countedSql(r: string, c: string): Prisma.Sql {
  const run = Prisma.raw(r);
  const cloud = Prisma.raw(c);
  return Prisma.sql`((${run}.source = 'dashboard' OR EXISTS (SELECT 1 FROM "ReportUpload" u JOIN "OrganizationKey" k ON k.id = u."keyId" WHERE u.id = ${run}."uploadId" AND k."approvedAt" IS NOT NULL)) AND (${cloud}."certifiedAuthUrl" IS NULL OR COALESCE(${run}."authUrl" = ${cloud}."certifiedAuthUrl" AND ${run}.region = ${cloud}."certifiedRegion", false)))`;
}

/** The signing key of each imported run among `runs`, as it stands now (for runCounts). */
export async function signingKeysOf(
  runs: Array<{ id: string; source: RunSource; uploadId: string | null }>,
): Promise<Map<string, SigningKeyState | null>> {
  const out = new Map<string, SigningKeyState | null>();
  const uploadIds = [
    ...new Set(runs.flatMap((r) => (r.source === 'official_runner' && r.uploadId ? [r.uploadId] : []))),
  ];
  const uploads =
    uploadIds.length === 0
      ? []
      : await db.reportUpload.findMany({
          where: { id: { in: uploadIds } },
          select: { id: true, keyFingerprint: true, key: { select: { name: true, approvedAt: true } } },
        });
  const byUpload = new Map(uploads.map((u) => [u.id, signingKeyState(u)]));
  for (const r of runs)
    if (r.source === 'official_runner') out.set(r.id, (r.uploadId && byUpload.get(r.uploadId)) || null);
  return out;
}

/** An upload's signing key as runCounts reads it. */
export function signingKeyState(u: {
  keyFingerprint: string;
  key: { name: string; approvedAt: Date | null } | null;
}): SigningKeyState {
  return { name: u.key?.name ?? null, fingerprint: u.keyFingerprint, approvedAt: u.key?.approvedAt ?? null };
}

export const pinInput = z.object({
  authUrl: z
    .string({ message: 'Give the Keystone auth URL.' })
    .trim()
    .min(1, 'Give the Keystone auth URL.')
    .max(500)
    .refine((v) => /^https?:\/\/[^\s/]+/i.test(v) && URL.canParse(v), {
      message: 'An http(s) URL, e.g. https://keystone.example.com:5000/v3.',
    }),
  region: z
    .string({ message: 'Give the region.' })
    .trim()
    .min(1, 'Give the region.')
    .max(100)
    .regex(/^[\w.-]+$/, 'Letters, digits, dot, dash and underscore only.'),
});

async function cloudFor(ctx: RequestContext, slug: string, action: 'cloud.read' | 'cloud.pin') {
  return loadCloud(ctx, { slug }, action, {
    id: true,
    slug: true,
    organizationId: true,
    certifiedAuthUrl: true,
    certifiedRegion: true,
    pinnedAt: true,
    pinnedByLabel: true,
  });
}

function pinOf(c: {
  certifiedAuthUrl: string | null;
  certifiedRegion: string | null;
  pinnedAt: Date | null;
  pinnedByLabel: string | null;
}): CertifiedEndpoint | null {
  return c.certifiedAuthUrl && c.certifiedRegion
    ? { authUrl: c.certifiedAuthUrl, region: c.certifiedRegion, pinnedAt: c.pinnedAt, pinnedBy: c.pinnedByLabel }
    : null;
}

/** The pin of a cloud (null: none); whoever may see the cloud may see it. */
export async function getCertifiedEndpoint(ctx: RequestContext, slug: string): Promise<CertifiedEndpoint | null> {
  return pinOf(await cloudFor(ctx, slug, 'cloud.read'));
}

/** The pin by cloud id, without policy (for the credential and run code, which asked already). */
export async function certifiedEndpointOf(cloudId: string): Promise<CertifiedEndpoint | null> {
  const c = await db.cloud.findUnique({
    where: { id: cloudId },
    select: { certifiedAuthUrl: true, certifiedRegion: true, pinnedAt: true, pinnedByLabel: true },
  });
  return c ? pinOf(c) : null;
}

/** Asks the policy before a request body is read (401/404/403 before 400/422). */
export async function assertMayPin(ctx: RequestContext, slug: string): Promise<void> {
  await cloudFor(ctx, slug, 'cloud.pin');
}

/** Staff pin a cloud's certified endpoint ({authUrl, region}); audited in the same transaction. */
export async function setCertifiedEndpoint(
  ctx: RequestContext,
  slug: string,
  input: unknown,
): Promise<CertifiedEndpoint> {
  await cloudFor(ctx, slug, 'cloud.pin'); // 401/404/403 before 422: the input says nothing to a stranger
  return (await changePin(ctx, slug, parseInput(pinInput, input ?? {})))!;
}

/** Staff remove a cloud's pin: runs count again whatever endpoint they name. Audited. */
export async function removeCertifiedEndpoint(ctx: RequestContext, slug: string): Promise<void> {
  await changePin(ctx, slug, null);
}

async function changePin(
  ctx: RequestContext,
  slug: string,
  next: z.infer<typeof pinInput> | null,
): Promise<CertifiedEndpoint | null> {
  const c = await cloudFor(ctx, slug, 'cloud.pin');
  const authUrl = next ? normalizeAuthUrl(next.authUrl) : null;
  const before = pinOf(c);
  const at = clockNow();
  return db.$transaction(async (tx) => {
    const u = await tx.cloud.update({
      where: { id: c.id },
      data: {
        certifiedAuthUrl: authUrl,
        certifiedRegion: next?.region ?? null,
        pinnedAt: next ? at : null,
        pinnedByLabel: next ? (ctx.actor?.email ?? 'system') : null,
      },
      select: { certifiedAuthUrl: true, certifiedRegion: true, pinnedAt: true, pinnedByLabel: true },
    });
    await recordAudit(tx, ctx, {
      action: next ? 'cloud.pin' : 'cloud.unpin',
      targetType: 'cloud',
      targetId: c.slug,
      organizationId: c.organizationId,
      summary: next
        ? `pinned the certified endpoint of ${c.slug} to ${authUrl} (region ${next.region})${before ? `, was ${before.authUrl} (region ${before.region})` : ''}`
        : `removed the certified endpoint of ${c.slug}${before ? ` (was ${before.authUrl}, region ${before.region})` : ''}`,
    });
    return pinOf(u);
  });
}

/**
 * Refuses (422) a credential for another endpoint than the cloud's pin, naming the pinned one. The
 * field is the auth URL or the region, whichever differs.
 */
export function assertMatchesPin(pin: CertifiedEndpoint | null, endpoint: { authUrl: string; region: string | null }) {
  if (!pin) return;
  const authUrl = normalizeAuthUrl(endpoint.authUrl);
  const region = normalizeRegion(endpoint.region);
  if (authUrl === pin.authUrl && region === pin.region) return;
  const message = `This cloud's certified endpoint is ${pin.authUrl} (region ${pin.region}), pinned by the certification body; a credential for ${describe({ authUrl, region })} cannot be saved for it. Ask staff to change the pin if the cloud moved.`;
  throw new ValidationError(authUrl !== pin.authUrl ? { auth_url: message } : { region: message }, message);
}
