import { cache } from 'react';
import { headers } from 'next/headers';
import { auth } from './auth';
import { loadActor } from '../users';
import { actorForBearer } from '../tokens';
import { clientAddressOf } from '../auth/client-address';
import type { RequestContext } from '../context';

/**
 * Who is asking in a page or server action: the signed-in user, freshly loaded, or null. Loaded once
 * per render (React's cache): the layout and the page ask for it in the same request. Outside a
 * render (server actions, route handlers) every call loads afresh.
 */
export const currentContext = cache(async function currentContext(): Promise<RequestContext> {
  const [session, h] = await Promise.all([auth(), headers()]);
  const s = session as { userId?: string; sessionVersion?: number } | null;
  // A cookie issued before the user's last sign-out or deactivation carries an older version: anonymous.
  const actor = s?.userId ? await loadActor(s.userId, { sessionVersion: s.sessionVersion ?? 0 }) : null;
  return { actor, clientAddress: clientAddressOf(h) };
});

/**
 * Who is asking in a route handler: a bearer token when the request carries one (and then only
 * the token: a bad token is anonymous even with a session cookie), else the session.
 */
export async function requestContext(req: Request): Promise<RequestContext> {
  const authz = req.headers.get('authorization');
  if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    const actor = m ? await actorForBearer(m[1]) : null;
    return { actor, clientAddress: clientAddressOf(req.headers), via: 'api-token' };
  }
  return currentContext();
}
