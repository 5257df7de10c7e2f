import type { RequestContext } from '../context';
import {
  assertCredentialAccess,
  deleteCredential,
  getCredential,
  getCredentials,
  setCredential,
  testConnection,
  type ConnectionTestResult,
} from '../credentials';
import { readJsonObject } from './body';
import { credentialDto, type ApiCredential } from './dto';

/**
 * API v1 operations on a cloud's credentials (app/api/v1/clouds/[slug]/credential). PUT takes
 * {clouds_yaml, secure_yaml?, cloud, allow_private_addresses?} or {openrc, password?} or the explicit
 * fields; `persona` comes from the query (?persona=reader) or the body.
 */
export async function apiGetCredential(
  ctx: RequestContext,
  slug: string,
  persona: string | null,
): Promise<ApiCredential | { items: Record<string, ApiCredential | null> }> {
  if (persona === 'all') {
    const all = await getCredentials(ctx, slug);
    return { items: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v ? credentialDto(v) : null])) };
  }
  return credentialDto(await getCredential(ctx, slug, persona ?? undefined));
}

export async function apiPutCredential(
  ctx: RequestContext,
  slug: string,
  persona: string | null,
  req: Request,
): Promise<ApiCredential> {
  // The policy first (401/404 before 400/413/422), then the body.
  await assertCredentialAccess(ctx, slug, 'credential.write');
  const b = await readJsonObject(req);
  return credentialDto(await setCredential(ctx, slug, { ...b, persona: persona ?? b.persona ?? undefined }));
}

export async function apiDeleteCredential(ctx: RequestContext, slug: string, persona: string | null): Promise<void> {
  await deleteCredential(ctx, slug, persona ?? undefined);
}

export async function apiTestCredential(
  ctx: RequestContext,
  slug: string,
  persona: string | null,
): Promise<ConnectionTestResult> {
  return testConnection(ctx, slug, persona ?? undefined);
}
