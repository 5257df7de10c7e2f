import type { z } from 'zod';
import { createCloud, getCloud, listClouds } from '../clouds';
import type { RequestContext } from '../context';
import { parseInput } from '../errors';
import { createOrganization, listOrganizations } from '../organizations';
import { getUser } from '../users';
import { readJsonBody } from './body';
import { cloudDto, listDto, meDto, organizationDto } from './dto';
import { cloudCreateBody, cloudListQuery, organizationCreateBody, organizationListQuery } from './schemas';
import type { ApiCloud, ApiList, ApiMe, ApiOrganization } from './schemas';

/**
 * API v1 operations on organizations, clouds and the caller, called by the route handlers under
 * app/api/v1 (through `apiRoute`, which has answered an anonymous caller with 401 already). Each
 * parses the request (lib/api/body.ts; 422 with fields), calls the domain function (which asks the
 * policy) and maps the result to the documented shape (lib/api/dto.ts).
 */

function query<T extends z.ZodType>(schema: T, url: string): z.infer<T> {
  const params: Record<string, string> = {};
  for (const [k, v] of new URL(url).searchParams) if (v !== '') params[k] = v;
  return parseInput(schema, params);
}

/** GET /me */
export async function getMe(ctx: RequestContext): Promise<ApiMe> {
  return meDto(await getUser(ctx, ctx.actor?.id ?? ''), ctx);
}

/** GET /organizations */
export async function listOrganizationsApi(ctx: RequestContext, req: Request): Promise<ApiList<ApiOrganization>> {
  const q = query(organizationListQuery, req.url);
  return listDto(await listOrganizations(ctx, { ...q, archived: q.archived === 'true' }), organizationDto);
}

/** POST /organizations */
export async function createOrganizationApi(ctx: RequestContext, req: Request): Promise<ApiOrganization> {
  const body = parseInput(organizationCreateBody, await readJsonBody(req));
  return organizationDto(await createOrganization(ctx, body));
}

/** GET /clouds */
export async function listCloudsApi(ctx: RequestContext, req: Request): Promise<ApiList<ApiCloud>> {
  const q = query(cloudListQuery, req.url);
  return listDto(await listClouds(ctx, { ...q, archived: q.archived === 'true' }), cloudDto);
}

/** POST /clouds */
export async function createCloudApi(ctx: RequestContext, req: Request): Promise<ApiCloud> {
  const body = parseInput(cloudCreateBody, await readJsonBody(req));
  return cloudDto(await createCloud(ctx, body));
}

/** GET /clouds/{slug} */
export async function getCloudApi(ctx: RequestContext, slug: string): Promise<ApiCloud> {
  return cloudDto(await getCloud(ctx, slug));
}
