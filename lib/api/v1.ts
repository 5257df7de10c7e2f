import type { z } from 'zod';
import { PolicyError, type Action } from '../auth/policy';
import { createCloud, getCloud, listClouds, type CloudView } from '../clouds';
import type { RequestContext } from '../context';
import { AppError, parseInput } from '../errors';
import { createOrganization, listOrganizations, type OrganizationView } from '../organizations';
import type { Page } from '../pagination';
import { getUser } from '../users';
import {
  cloudCreateBody,
  cloudListQuery,
  organizationCreateBody,
  organizationListQuery,
  type ApiCloud,
  type ApiList,
  type ApiMe,
  type ApiOrganization,
} from './schemas';

/**
 * API v1: one function per operation, called by the route handlers under app/api/v1. Each parses
 * the request (400 for bad JSON, 422 with fields), calls the domain function (which asks the
 * policy), and turns the result into the documented JSON shape (lib/api/schemas.ts).
 */

/** Anonymous callers get 401 before anything else (not a 422 for their body). */
function requireActor(ctx: RequestContext, action: Action): void {
  if (!ctx.actor) throw new PolicyError('unauthenticated', action);
}

export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body must be JSON.', 400);
  }
}

function query<T extends z.ZodType>(schema: T, url: string): z.infer<T> {
  const params: Record<string, string> = {};
  for (const [k, v] of new URL(url).searchParams) if (v !== '') params[k] = v;
  return parseInput(schema, params);
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function list<T, U>(p: Page<T>, fn: (t: T) => U): ApiList<U> {
  return { items: p.items.map(fn), total: p.total, page: p.page, pageSize: p.pageSize };
}

export function toApiOrganization(o: OrganizationView): ApiOrganization {
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

export function toApiCloud(c: CloudView): ApiCloud {
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

/** GET /me */
export async function getMe(ctx: RequestContext): Promise<ApiMe> {
  requireActor(ctx, 'user.read');
  const u = await getUser(ctx, ctx.actor!.id);
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organizations: u.organizations.map((o) => ({ slug: o.slug, name: o.name })),
    authenticatedBy: ctx.via === 'api-token' ? 'token' : 'session',
  };
}

/** GET /organizations */
export async function listOrganizationsApi(ctx: RequestContext, req: Request): Promise<ApiList<ApiOrganization>> {
  requireActor(ctx, 'organization.list');
  const q = query(organizationListQuery, req.url);
  return list(await listOrganizations(ctx, { ...q, archived: q.archived === 'true' }), toApiOrganization);
}

/** POST /organizations */
export async function createOrganizationApi(ctx: RequestContext, req: Request): Promise<ApiOrganization> {
  requireActor(ctx, 'organization.create');
  const body = parseInput(organizationCreateBody, await readJson(req));
  return toApiOrganization(await createOrganization(ctx, body));
}

/** GET /clouds */
export async function listCloudsApi(ctx: RequestContext, req: Request): Promise<ApiList<ApiCloud>> {
  requireActor(ctx, 'cloud.list');
  const q = query(cloudListQuery, req.url);
  return list(await listClouds(ctx, { ...q, archived: q.archived === 'true' }), toApiCloud);
}

/** POST /clouds */
export async function createCloudApi(ctx: RequestContext, req: Request): Promise<ApiCloud> {
  requireActor(ctx, 'cloud.create');
  const body = parseInput(cloudCreateBody, await readJson(req));
  return toApiCloud(await createCloud(ctx, body));
}

/** GET /clouds/{slug} */
export async function getCloudApi(ctx: RequestContext, slug: string): Promise<ApiCloud> {
  requireActor(ctx, 'cloud.read');
  return toApiCloud(await getCloud(ctx, slug));
}
