import crypto from 'node:crypto';
import { config } from '../config';

/**
 * The client address as the server saw it. The front process of `npm start` (scripts/lib/front.ts)
 * sets this header on every request with the socket's address, or with the X-Forwarded-For entry the
 * trusted proxy appended when TRUST_PROXY=true, and proves that it did with FRONT_PROOF_HEADER: a
 * secret made per boot that only the front and its web process know (SCS_FRONT_SECRET). Without the
 * proof (under `next dev`, a direct `next start`, or a client talking to the web process some other
 * way) the client-address and forwarding headers are the client's own words and are ignored.
 */
export const CLIENT_ADDRESS_HEADER = 'x-scs-client-address';
export const FRONT_PROOF_HEADER = 'x-scs-front-proof';
/** Headers only the front may state: dropped from every request that lacks its proof (proxy.ts). */
export const FRONT_STATED_HEADERS = [
  CLIENT_ADDRESS_HEADER,
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'forwarded',
  'x-real-ip',
] as const;

type HeaderGetter = { get(name: string): string | null };

/** Whether the request came through our front process (it carries the per-boot proof). */
export function fromFront(headers: HeaderGetter, secret = config().SCS_FRONT_SECRET): boolean {
  const proof = headers.get(FRONT_PROOF_HEADER);
  if (!secret || !proof) return false;
  const a = crypto.createHash('sha256').update(proof).digest();
  const b = crypto.createHash('sha256').update(secret).digest();
  return crypto.timingSafeEqual(a, b);
}

export function clientAddressOf(headers: HeaderGetter): string | null {
  return fromFront(headers) ? headers.get(CLIENT_ADDRESS_HEADER) || null : null;
}

export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: boolean,
): string | null {
  if (trustProxy && forwardedFor) {
    // The trusted proxy appends the address it saw; anything before that is what the client sent.
    const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const added = entries[entries.length - 1];
    if (added) return added;
  }
  return socketAddress?.replace(/^::ffff:/, '') ?? null;
}
