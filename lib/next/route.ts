import 'server-only';
import { requestContext } from '../auth/session';
import { AppError, describeInternalError, toErrorBody } from '../errors';
import type { RequestContext } from '../context';

/**
 * The one shape of an API route handler: resolve the caller (bearer token or session), run one
 * lib function (which asks the policy), and answer JSON; errors become {error: {code, message, fields?}}.
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(
  fn: (ctx: RequestContext, req: Request, params: P) => Promise<unknown | Response>,
  opts: { status?: number } = {},
) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    try {
      const ctx = await requestContext(req);
      const result = await fn(ctx, req, await route.params);
      if (result instanceof Response) return result;
      return Response.json(result, { status: opts.status ?? 200, headers: { 'Cache-Control': 'no-store' } });
    } catch (err) {
      const { status, body } = toErrorBody(err);
      if (status === 500) console.error('[api]', req.method, new URL(req.url).pathname, describeInternalError(err));
      const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
      if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="scs-km"';
      return Response.json(body, { status, headers });
    }
  };
}

/** The JSON body of a request, or a clear 400 when it is not JSON. */
export async function jsonBody(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError('invalid_json', 'The request body must be JSON.', 400);
  }
}

/** An optional JSON body: `{}` when empty, a clear 400 when present but not JSON. */
export async function optionalJsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('invalid_json', 'The request body must be JSON (or empty).', 400);
  }
}
