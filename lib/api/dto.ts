import type { CloudView } from '../clouds';
import type { CredentialView } from '../credentials';
import type { OrganizationView } from '../organizations';
import type { Page } from '../pagination';
import type { RunListItem, RunView } from '../runs';
import type { UserView } from '../users';
import type { RequestContext } from '../context';
import type { ApiCloud, ApiList, ApiMe, ApiOrganization } from './schemas';

/**
 * The DTO mappers of API v1: one function per resource, `<resource>Dto`, from the domain's view to
 * the documented JSON shape (lib/api/schemas.ts, the OpenAPI document). Dates become ISO strings;
 * nothing else is added or left out here, so the domain view decides what a caller may see.
 */

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function listDto<T, U>(p: Page<T>, fn: (t: T) => U): ApiList<U> {
  return { items: p.items.map(fn), total: p.total, page: p.page, pageSize: p.pageSize };
}

export function organizationDto(o: OrganizationView): ApiOrganization {
  return {
    slug: o.slug,
    name: o.name,
    contactEmails: o.contactEmails,
    cloudCount: o.cloudCount,
    archivedAt: iso(o.archivedAt),
    createdAt: o.createdAt.toISOString(),
    id: o.id,
  };
}

export function cloudDto(c: CloudView): ApiCloud {
  return {
    slug: c.slug,
    name: c.name,
    description: c.description,
    organization: { slug: c.organization.slug, name: c.organization.name },
    region: c.region,
    public: c.public,
    contactEmails: c.contactEmails,
    scsSubject: c.scsSubject,
    archivedAt: iso(c.archivedAt),
    createdAt: c.createdAt.toISOString(),
    id: c.id,
  };
}

export function meDto(u: UserView, ctx: RequestContext): ApiMe {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organizations: u.organizations.map((o) => ({ slug: o.slug, name: o.name })),
    authenticatedBy: ctx.via === 'api-token' ? 'token' : 'session',
  };
}

/** The write-only view of a credential: never the secret. */
export type ApiCredential = Omit<CredentialView, 'setAt'> & { setAt: string };

export function credentialDto(v: CredentialView): ApiCredential {
  return { ...v, setAt: v.setAt.toISOString() };
}

/** What GET /api/v1/runs/{id} answers. */
export function runDto(r: RunView) {
  return {
    id: r.id,
    cloud: r.cloud.slug,
    status: r.status,
    trigger: r.trigger,
    source: r.source,
    queuedAt: r.queuedAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    error: r.error,
    endpoint: r.endpoint,
    counts: r.counting.counts,
    notCountedReason: r.counting.reason,
    signedBy: r.signedBy && {
      key: r.signedBy.name,
      fingerprint: r.signedBy.fingerprint,
      approvedAt: r.signedBy.approvedAt?.toISOString() ?? null,
      approvedBy: r.signedBy.approvedBy,
    },
    results: r.results.map((x) => ({
      testcase: x.testcase,
      verdict: x.verdict,
      message: x.message,
      durationMs: x.durationMs,
    })),
  };
}

export interface RevokedCertificate {
  grantedAt: Date;
  validUntil: Date;
  revokedAt: Date;
}

/** An entry of the public revocation list. */
export function revocationDto<T extends RevokedCertificate>(r: T) {
  return {
    ...r,
    grantedAt: r.grantedAt.toISOString(),
    validUntil: r.validUntil.toISOString(),
    revokedAt: r.revokedAt.toISOString(),
  };
}

/** An item of GET /clouds/{slug}/runs: `source` says dashboard or official-runner. */
export function runListItemDto(r: RunListItem) {
  return {
    id: r.id,
    status: r.status,
    source: r.source,
    trigger: r.trigger,
    queuedAt: r.queuedAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    counts: r.counts,
  };
}
