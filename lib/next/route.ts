import 'server-only';
import { requestContext } from './session';
import { PolicyError, type Action, type Actor } from '../auth/policy';
import { AppError, describeInternalError, toErrorBody } from '../errors';
import { assertSameOrigin } from '../api/origin';
import type { RequestContext } from '../context';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface ApiRouteOptions {
  /** Status of a successful JSON answer (default 200; 201 for creations). */
  status?: number;
  /**
   * `required` (default): an anonymous caller gets 401 before anything else is looked at (not a 404
   * for a slug nor a 422 for a body). `optional`: public routes (status, revocation list).
   */
  actor?: 'required' | 'optional';
  /**
   * Writes (every method but GET, HEAD, OPTIONS) authenticated by the session cookie must come from
   * this site (Origin / Sec-Fetch-Site, lib/api/origin.ts); default true. Bearer tokens are not affected.
   */
  sameOrigin?: boolean;
  /** The action named in the 401 message for an anonymous caller (default: none in particular). */
  action?: Action;
}

export type ApiHandler<P, C extends RequestContext> = (ctx: C, req: Request, params: P) => Promise<unknown | Response>;

/**
 * The one shape of an API route handler: the same-origin guard for cookie writes, the caller (bearer
 * token or session), one lib call (which asks the policy), and JSON; every error becomes
 * {error: {code, message, fields?}} with its status (never a stack trace).
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  fn: ApiHandler<P, RequestContext & { actor: Actor }>,
  opts?: ApiRouteOptions & { actor?: 'required' },
): (req: Request, route: { params: Promise<P> }) => Promise<Response>;
export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  fn: ApiHandler<P, RequestContext>,
  opts: ApiRouteOptions & { actor: 'optional' },
): (req: Request, route: { params: Promise<P> }) => Promise<Response>;
export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  handler: ApiHandler<P, RequestContext & { actor: Actor }> | ApiHandler<P, RequestContext>,
  opts: ApiRouteOptions = {},
) {
  // With a required actor the handler is only ever called with one (checked below).
  const fn = handler as ApiHandler<P, RequestContext>;
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      if (opts.sameOrigin !== false && !SAFE_METHODS.has(req.method)) assertSameOrigin(req);
      const ctx = await requestContext(req);
      if (opts.actor !== 'optional' && !ctx.actor) throw new PolicyError('unauthenticated', opts.action ?? 'user.read');
      const result = await fn(ctx, req, await decodedParams(route.params));
      if (result instanceof Response) return result;
      return Response.json(result, { status: opts.status ?? 200, headers: { 'Cache-Control': 'no-store' } });
    } catch (err) {
      const { status, body } = toErrorBody(err);
      if (status === 500) console.error('[api]', req.method, safePath(req.url), describeInternalError(err));
      const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
      if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="scs-km"';
      if (status === 503) headers['Retry-After'] = '5';
      return Response.json(body, { status, headers });
    }
  };
}

async function decodedParams<P>(params: Promise<P>): Promise<P> {
  try {
    return await params;
  } catch (err) {
    if (err instanceof URIError) throw new AppError('invalid_path', 'The address is not valid percent-encoding.', 400);
    throw err;
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname.slice(0, 200);
  } catch {
    return '?';
  }
}
