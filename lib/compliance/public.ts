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

const select = {
  id: true,
  slug: true,
  name: true,
  public: true,
  archivedAt: true,
  region: true,
  schedule: true,
  nextRunAt: true,
  organization: { select: { id: true, slug: true, name: true } },
} as const;

export async function publicClouds(): Promise<CloudCompliance[]> {
  const clouds = await db.cloud.findMany({
    where: { public: true, archivedAt: null, organization: { archivedAt: null } },
    select,
    orderBy: { name: 'asc' },
  });
  return complianceOf(clouds);
}

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

export interface RunSummary {
  id: string;
  queuedAt: Date;
  finishedAt: Date | null;
  results: Array<{ testcase: string; verdict: string; message: string; checkedAt: Date }>;
}

/** Redacted run summaries for the status page: verdicts and messages only (no evidence, no details). */
export async function publicRunSummaries(slug: string, take = 10): Promise<RunSummary[]> {
  const c = await publicCloudRow(slug);
  const runs = await db.run.findMany({
    where: { cloudId: c.id, status: 'finished' },
    orderBy: { queuedAt: 'desc' },
    take,
    select: {
      id: true,
      queuedAt: true,
      finishedAt: true,
      results: {
        select: { testcase: true, verdict: true, message: true, checkedAt: true },
        orderBy: { testcase: 'asc' },
      },
    },
  });
  return runs;
}

/** The JSON of GET /api/v1/status: all public clouds, or one. */
export function statusJson(c: CloudCompliance, baseUrl: string) {
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
        reasons: e.reasons,
        warnings: e.warnings,
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

/** Absolute URLs: PUBLIC_URL when set (then AUTH_URL), else the request's own origin. */
export function publicBaseUrl(req?: Request): string {
  const configured = process.env.PUBLIC_URL || process.env.AUTH_URL;
  if (configured) return configured.replace(/\/+$/, '');
  return req ? new URL(req.url).origin : '';
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
  const url = `${publicBaseUrl(req)}/status/${slug}`;
  return format === 'png'
    ? { body: new Uint8Array(await qrPng(url)), contentType: 'image/png' }
    : { body: await qrSvg(url), contentType: 'image/svg+xml; charset=utf-8' };
}
