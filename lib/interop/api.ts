// API v1 operations of the interop area (report-signing keys, a cloud's runs, the instance key,
// forwarding): parse, call the lib function (which asks the policy), answer the documented shape. The
// routes (apiRoute) answer an anonymous caller with 401 before any of these runs.

import type { RequestContext } from '../context';
import { readJsonObject } from '../api/body';
import { addKey, approveKey, deleteKey, listKeys, withdrawKeyApproval } from './keys';
import { instanceKey } from './signing-key';
import { pageRuns } from '../runs';
import { getForwarding, listDeliveries, removeForwarding, setForwarding } from './forwarding';
import { listDto, runListItemDto } from '../api/dto';
import type { KeyView } from './keys';
import type { DeliveryView, ForwardingView } from './forwarding';

/** GET /organizations/{slug}/keys */
export async function listKeysApi(ctx: RequestContext, slug: string) {
  return { items: (await listKeys(ctx, slug)).map(keyDto) };
}

/** POST /organizations/{slug}/keys {name, publicKey} */
export async function addKeyApi(ctx: RequestContext, slug: string, req: Request) {
  return keyDto(await addKey(ctx, slug, await readJsonObject(req)));
}

/** DELETE /organizations/{slug}/keys/{name} */
export async function deleteKeyApi(ctx: RequestContext, slug: string, name: string): Promise<Response> {
  await deleteKey(ctx, slug, name);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
}

/** PUT /organizations/{slug}/keys/{name}/approval (staff): reports signed with the key count. */
export async function approveKeyApi(ctx: RequestContext, slug: string, name: string) {
  return keyDto(await approveKey(ctx, slug, name));
}

/** DELETE /organizations/{slug}/keys/{name}/approval (staff): the runs it signed stop counting. */
export async function withdrawKeyApprovalApi(ctx: RequestContext, slug: string, name: string) {
  return keyDto(await withdrawKeyApproval(ctx, slug, name));
}

/** GET /signing-key (public): one OpenSSH line, as an allowed_signers or bootstrap.yaml entry needs it. */
export async function signingKeyResponse(): Promise<Response> {
  const key = await instanceKey();
  return new Response(`${key.publicKey}\n`, {
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}

/** GET /clouds/{slug}/runs?page=&pageSize=: newest first; `source` says dashboard or official-runner. */
export async function listRunsApi(ctx: RequestContext, slug: string, req: Request) {
  const q = new URL(req.url).searchParams;
  const p = await pageRuns(ctx, slug, { page: q.get('page'), pageSize: q.get('pageSize') });
  return listDto(p, runListItemDto);
}

/** GET /clouds/{slug}/forwarding: the setting (never the API key) and the latest deliveries. */
export async function getForwardingApi(ctx: RequestContext, slug: string, req: Request) {
  const q = new URL(req.url).searchParams;
  const [forwarding, deliveries] = await Promise.all([
    getForwarding(ctx, slug),
    listDeliveries(ctx, { cloud: slug, page: q.get('page'), pageSize: q.get('pageSize') }),
  ]);
  return {
    forwarding: forwardingDto(forwarding),
    deliveries: { ...deliveries, items: deliveries.items.map(deliveryDto) },
  };
}

/** PUT /clouds/{slug}/forwarding {url, account?, apiKey?, enabled?} (staff). */
export async function setForwardingApi(ctx: RequestContext, slug: string, req: Request) {
  return forwardingDto(await setForwarding(ctx, slug, await readJsonObject(req)));
}

/** DELETE /clouds/{slug}/forwarding (staff). */
export async function removeForwardingApi(ctx: RequestContext, slug: string): Promise<Response> {
  await removeForwarding(ctx, slug);
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
}

// The DTOs of this area's resources (beside lib/api/dto.ts, which lib/interop builds on).
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A report-signing key of an organization (its public half only). */
function keyDto(k: KeyView) {
  return { ...k, createdAt: k.createdAt.toISOString(), lastUsedAt: iso(k.lastUsedAt), approvedAt: iso(k.approvedAt) };
}

/** A cloud's forwarding to a compliance monitor: never the API key, only its fingerprint. */
function forwardingDto(f: ForwardingView | null) {
  if (!f) return null;
  return { ...f, enabledAt: f.enabledAt.toISOString(), updatedAt: f.updatedAt.toISOString() };
}

/** One forwarded run and its attempts. */
function deliveryDto(d: DeliveryView) {
  return {
    ...d,
    nextAttemptAt: iso(d.nextAttemptAt),
    createdAt: d.createdAt.toISOString(),
    deliveredAt: iso(d.deliveredAt),
  };
}
