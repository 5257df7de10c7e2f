import type { NextRequest } from 'next/server';
import { handlers } from '@/lib/next/auth';

/**
 * Auth.js derives OpenID Connect callback URLs from the request URL. A NextRequest rewrites
 * loopback hosts (127.0.0.1) to "localhost", so the token request would name a different
 * redirect_uri than the sign-in did, which the identity provider refuses. scripts/start.ts sets
 * X-Forwarded-Host/-Proto on every request to the address the client really used (PUBLIC_URL, the
 * Host header, or a trusted proxy's value); Auth.js gets a plain Request at exactly that URL.
 */
function atClientOrigin(req: NextRequest): Request {
  const url = new URL(
    req.nextUrl.pathname + req.nextUrl.search,
    `${req.headers.get('x-forwarded-proto') === 'https' ? 'https' : 'http'}://${req.headers.get('x-forwarded-host') ?? req.headers.get('host')}`,
  );
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(url, {
    method: req.method,
    headers: req.headers,
    body: hasBody ? req.body : undefined,
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

export const GET = (req: NextRequest) => handlers.GET(atClientOrigin(req) as NextRequest);
export const POST = (req: NextRequest) => handlers.POST(atClientOrigin(req) as NextRequest);
