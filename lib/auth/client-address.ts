/**
 * The client address as the server saw it. The front process of `npm start` (scripts/lib/front.ts)
 * overwrites this header on every request with the socket's address, or with the X-Forwarded-For
 * entry the trusted proxy appended when TRUST_PROXY=true, so a client cannot forge it; the web
 * process is reachable only through the front's private Unix socket.
 */
export const CLIENT_ADDRESS_HEADER = 'x-scs-client-address';

export function clientAddressOf(headers: { get(name: string): string | null }): string | null {
  return headers.get(CLIENT_ADDRESS_HEADER);
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
