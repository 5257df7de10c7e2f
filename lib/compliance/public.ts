// What anyone may see without signing in (SCS-0004 §4: the certificate status page): publicly
// listed, not archived clouds only. A private or unknown slug is simply not found.

import { db } from '../db';
import { now as clockNow } from '../clock';
import { NotFoundError } from '../errors';
import { historyOf, type CloudCompliance } from './index';
import { complianceOf } from './snapshot';
import { storedBadge, type BadgeStatus } from './badge';
import type { Period } from './history';
import { HEADLINE_PROFILE } from './profiles';
import { qrPng, qrSvg } from './graphics';
import { publicOrigin } from './public-origin';
import type { Evaluation, TestcaseState } from './verdict';

const select = {
  id: true,
  slug: true,
  name: true,
  public: true,
  archivedAt: true,
  region: true,
  publicRunMessages: true,
  schedule: true,
  nextRunAt: true,
  organization: { select: { id: true, slug: true, name: true } },
} as const;

/**
 * Every public cloud's compliance, by name, each passed through `pick` as soon as it is read: in
 * chunks, so that the whole evaluations of 5,000 public clouds are never held at once (only what
 * `pick` keeps of them).
 */
export async function mapPublicClouds<T>(pick: (c: CloudCompliance) => T): Promise<T[]> {
  const clouds = await db.cloud.findMany({
    where: { public: true, archivedAt: null, organization: { archivedAt: null } },
    select,
    orderBy: { name: 'asc' },
  });
  const out: T[] = [];
  for (let i = 0; i < clouds.length; i += PUBLIC_CHUNK)
    for (const c of await complianceOf(clouds.slice(i, i + PUBLIC_CHUNK))) out.push(pick(c));
  return out;
}

const PUBLIC_CHUNK = 500;

/** Throws NotFoundError unless the cloud is publicly listed (cheap: no verdicts computed). */
export async function assertPublicCloud(slug: string): Promise<void> {
  await publicCloudRow(slug);
}

async function publicCloudRow(slug: string) {
  const c = await db.cloud.findFirst({
    where: { slug, public: true, archivedAt: null, organization: { archivedAt: null } },
    select,
  });
  if (!c) throw new NotFoundError('Cloud');
  return c;
}

export async function publicCloud(slug: string): Promise<CloudCompliance> {
  return (await complianceOf([await publicCloudRow(slug)]))[0];
}

/** The badge: from the stored snapshot in one query; a stale one takes the full path (which stores it anew). */
export async function publicBadgeStatus(slug: string): Promise<BadgeStatus> {
  const stored = await storedBadge((sql, params) => db.$queryRawUnsafe(sql, ...params), slug, clockNow());
  if (stored === 'not-found') throw new NotFoundError('Cloud');
  if (stored !== 'stale') return stored;
  const c = await publicCloud(slug);
  return { name: c.cloud.name, status: c.status, certified: c.certificate.state === 'valid' };
}

export async function publicHistory(slug: string, period: Period) {
  const c = await publicCloudRow(slug);
  return historyOf(c.id, period);
}

/**
 * A reason or warning as the public may read it: the testcase and its verdict, and the result's
 * message only where staff made a cloud's run messages public.
 */
export function publicReason(t: TestcaseState, showMessages: boolean): string {
  const expired = t.expired ? ' (the latest result expired)' : '';
  const message = showMessages || t.kind === 'manual' ? t.message : '';
  return `${t.id} is ${t.verdict}${expired}${message && !t.expired ? `: ${message}` : ''}`;
}

/** An evaluation's reasons and warnings for the public (see publicReason). */
export function publicReasons(e: Evaluation, showMessages: boolean): { reasons: string[]; warnings: string[] } {
  if (showMessages) return { reasons: e.reasons, warnings: e.warnings };
  const deciding = e.testcases.filter((t) => t.requirement === 'mandatory');
  const bad = deciding.filter((t) => t.verdict !== 'PASS');
  const worst = (['FAIL', 'MISS', 'ABORT'] as const).find((v) => bad.some((t) => t.verdict === v));
  return {
    reasons: e.status === 'PASS' ? [] : bad.filter((t) => t.verdict === worst).map((t) => publicReason(t, false)),
    warnings: e.testcases
      .filter((t) => t.requirement === 'recommended' && t.verdict !== 'PASS')
      .map((t) => `${publicReason(t, false)} (recommended)`),
  };
}

/** The JSON of GET /api/v1/status: all public clouds, or one (messages only where staff made them public). */
export function statusJson(c: CloudCompliance, baseUrl: string) {
  const showMessages = c.cloud.publicRunMessages;
  const at = clockNow();
  return {
    cloud: c.cloud.slug,
    name: c.cloud.name,
    organization: c.cloud.organization.name,
    status: c.status,
    official: c.official,
    statusPage: `${baseUrl}/status/${c.cloud.slug}`,
    badge: `${baseUrl}/badge/${c.cloud.slug}.svg`,
    // The official versions of the day that are not drafts (drafts never decide), then our profiles.
    versions: c.evaluations
      .filter((e) => !(e.kind === 'official' && e.validity === 'draft'))
      .map((e) => ({
        standard: e.standard,
        kind: e.kind,
        validity: e.validity,
        informational: e.informational,
        status: e.status,
        ...publicReasons(e, showMessages),
        testcases: e.testcases
          .filter((t) => t.requirement !== 'informational')
          .map((t) => ({
            id: t.id,
            requirement: t.requirement,
            verdict: t.verdict,
            checkedAt: t.checkedAt?.toISOString() ?? null,
            expiresAt: t.expiresAt?.toISOString() ?? null,
          })),
      })),
    attestation: {
      verdict: c.manual.verdict,
      approvedUntil: c.manual.verdict === 'PASS' ? (c.manual.expiresAt?.toISOString() ?? null) : null,
    },
    certificate: c.certificate.current
      ? {
          standard: c.certificate.current.standard,
          state: c.certificate.state,
          grantedAt: c.certificate.current.grantedAt.toISOString(),
          validUntil: c.certificate.current.validUntil.toISOString(),
          revokedAt: c.certificate.current.revokedAt?.toISOString() ?? null,
        }
      : { standard: HEADLINE_PROFILE, state: 'none' as const },
    generatedAt: at.toISOString(),
  };
}

/**
 * The QR code of a public cloud's status page URL (SCS-0004: printed logos link to it by QR code),
 * or null when the cloud is not publicly listed.
 */
export async function statusPageQr(
  req: Request,
  slug: string,
  format: 'png' | 'svg',
): Promise<{ body: Uint8Array<ArrayBuffer> | string; contentType: string } | null> {
  try {
    await assertPublicCloud(slug);
  } catch {
    return null;
  }
  const url = `${publicOrigin(req)}/status/${slug}`;
  return format === 'png'
    ? { body: new Uint8Array(await qrPng(url)), contentType: 'image/png' }
    : { body: await qrSvg(url), contentType: 'image/svg+xml; charset=utf-8' };
}
