// API v1 operations of the interop area (report-signing keys, a cloud's runs, the instance key,
// forwarding): parse, call the lib function (which asks the policy), answer the documented shape.

import { PolicyError, type Action } from '../auth/policy';
import type { RequestContext } from '../context';
import { readJson } from '../api/v1';
import { addKey, deleteKey, listKeys, type KeyView } from './keys';

/** Anonymous callers get 401 before anything else (not a 400 or 422 for their body). */
function requireActor(ctx: RequestContext, action: Action): void {
  if (!ctx.actor) throw new PolicyError('unauthenticated', action);
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toApiKey(k: KeyView) {
  return { ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: iso(k.lastUsedAt) };
}

/** GET /organizations/{slug}/keys */
export async function listKeysApi(ctx: RequestContext, slug: string) {
  requireActor(ctx, 'key.list');
  return { items: (await listKeys(ctx, slug)).map(toApiKey) };
}

/** POST /organizations/{slug}/keys {name, publicKey} */
export async function addKeyApi(ctx: RequestContext, slug: string, req: Request) {
  requireActor(ctx, 'key.create');
  return toApiKey(await addKey(ctx, slug, await readJson(req)));
}

/** DELETE /organizations/{slug}/keys/{name} */
export async function deleteKeyApi(ctx: RequestContext, slug: string, name: string): Promise<Response> {
  requireActor(ctx, 'key.delete');
  await deleteKey(ctx, slug, name);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
}
