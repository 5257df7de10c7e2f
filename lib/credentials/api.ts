import { AppError } from '../errors';
import type { RequestContext } from '../context';
import {
  assertCredentialAccess,
  deleteCredential,
  getCredential,
  getCredentials,
  setCredential,
  testConnection,
  type ConnectionTestResult,
  type CredentialView,
} from './index';

/**
 * API v1 for credentials, called by the route handlers under app/api/v1/clouds/[slug]/credential.
 * Bodies: PUT takes {clouds_yaml, secure_yaml?, cloud, allow_private_addresses?} or {openrc, password?}
 * or the explicit fields; `persona` comes from the query (?persona=reader) or the body.
 */
/** The write-only view as JSON: dates as ISO strings. */
export type ApiCredential = Omit<CredentialView, 'setAt'> & { setAt: string };

export function toApiCredential(v: CredentialView): ApiCredential {
  return { ...v, setAt: v.setAt.toISOString() };
}

async function body(readBody: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const b = await readBody();
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw new AppError('invalid_json', 'The request body must be a JSON object.', 400);
  return b as Record<string, unknown>;
}

export async function apiGetCredential(
  ctx: RequestContext,
  slug: string,
  persona: string | null,
): Promise<ApiCredential | { items: Record<string, ApiCredential | null> }> {
  if (persona === 'all') {
    const all = await getCredentials(ctx, slug);
    return { items: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v ? toApiCredential(v) : null])) };
  }
  return toApiCredential(await getCredential(ctx, slug, persona ?? undefined));
}

export async function apiPutCredential(
  ctx: RequestContext,
  slug: string,
  persona: string | null,
  readBody: () => Promise<unknown>,
): Promise<ApiCredential> {
  await assertCredentialAccess(ctx, slug, 'credential.write');
  const b = await body(readBody);
  return toApiCredential(await setCredential(ctx, slug, { ...b, persona: persona ?? b.persona ?? undefined }));
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
