// The front of `npm start`: owns the public port, answers /api/health itself and passes every other
// request to the web process over its Unix socket. Node runs a page's rendering on one thread, so a
// health check answered by the web process waits behind whatever pages are being rendered; the
// front does almost nothing else and answers at once, while still reporting a web process that has
// stopped responding (no heartbeat) as unavailable. It also answers status badges whose stored
// compliance snapshot is fresh (lib/compliance/badge.ts): one query, no rendering.
import http from 'node:http';
import { pipeline } from 'node:stream';
import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from '../../lib/auth/client-address';
import { checkHealth, type Health, type HealthQuery } from '../../lib/health';
import { SECURITY_HEADERS } from '../../lib/security-headers';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FrontOptions {
  socketPath: string;
  host: string;
  port: number;
  trustProxy: boolean;
  publicUrl: URL | null;
  query: HealthQuery;
  /** Milliseconds since the web process last said it is alive (null: never). */
  heartbeatAge: () => number | null;
  heartbeatLimitMs?: number;
  /** A badge the front can answer itself (from a fresh stored snapshot), or null to pass the request on. */
  badge?: (slug: string) => Promise<Answer | null>;
}

const BADGE_PATH = /^\/badge\/([^/]+)\.svg$/;

function send(req: http.IncomingMessage, res: http.ServerResponse, a: Answer): void {
  res.writeHead(a.status, { ...SECURITY_HEADERS, ...a.headers });
  res.end(req.method === 'HEAD' ? undefined : a.body);
}

// Meaningful for one connection only (RFC 9110 §7.6.1); Node sets its own.
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
];

/** The headers the web process gets: the client address and the address the client used, stated by us. */
export function forwardHeaders(
  req: http.IncomingMessage,
  o: Pick<FrontOptions, 'trustProxy' | 'publicUrl' | 'host' | 'port'>,
): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { ...req.headers };
  for (const h of HOP_BY_HOP) delete headers[h];
  for (const token of String(req.headers.connection ?? '').split(',')) delete headers[token.trim().toLowerCase()];
  // The body is passed on as Node decoded it: chunked again when the client sent it chunked. Without
  // a framing header a body after GET or DELETE would reach the web process as a second request
  // with headers of the client's making (request smuggling).
  if (req.headers['transfer-encoding']) {
    headers['transfer-encoding'] = 'chunked';
    delete headers['content-length'];
  }
  headers[CLIENT_ADDRESS_HEADER] =
    resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], o.trustProxy) ?? '';
  // Next fills in X-Forwarded-Host with its own idea ("localhost") when absent, and Auth.js builds
  // OpenID Connect redirect URLs from it: state the address the client really used.
  if (o.publicUrl) {
    headers['x-forwarded-host'] = o.publicUrl.host;
    headers['x-forwarded-proto'] = o.publicUrl.protocol.replace(':', '');
  } else if (!o.trustProxy || !req.headers['x-forwarded-host']) {
    headers['x-forwarded-host'] = req.headers.host ?? `${o.host}:${o.port}`;
    headers['x-forwarded-proto'] = 'http';
  }
  return headers;
}

export async function frontHealth(
  o: Pick<FrontOptions, 'query' | 'heartbeatAge' | 'heartbeatLimitMs'>,
): Promise<Health> {
  const health = await checkHealth(o.query);
  const age = o.heartbeatAge();
  const responding = age !== null && age < (o.heartbeatLimitMs ?? 5000);
  return {
    ...health,
    status: health.status === 'ok' && responding ? 'ok' : 'unavailable',
    web: { responding, lastHeartbeatMs: age },
  };
}

export function createFront(o: FrontOptions): http.Server {
  // No cap on sockets (open live-progress streams and slow uploads must not queue other requests);
  // idle ones are closed after 30 s, before the web process's 65 s keep-alive would close them.
  const agent = new http.Agent({ keepAlive: true, timeout: 30_000 });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/api/health' && readOnly) {
      void frontHealth(o).then((h) =>
        send(req, res, {
          status: h.status === 'ok' ? 200 : 503,
          headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
          body: JSON.stringify(h),
        }),
      );
      return;
    }
    const badge = readOnly && o.badge ? BADGE_PATH.exec(path) : null;
    if (badge) {
      let slug: string;
      try {
        slug = decodeURIComponent(badge[1]);
      } catch {
        slug = '';
      }
      // Anything the front cannot answer for sure (stale snapshot, database hiccup) goes to the app.
      void o.badge!(slug)
        .catch(() => null)
        .then((a) => (a ? send(req, res, a) : pass(req, res)));
      return;
    }
    pass(req, res);
  });
  server.keepAliveTimeout = 65_000;
  return server;

  function pass(req: http.IncomingMessage, res: http.ServerResponse): void {
    const upstream = http.request(
      { socketPath: o.socketPath, agent, method: req.method, path: req.url, headers: forwardHeaders(req, o) },
      (answer) => {
        const headers = { ...answer.headers };
        for (const h of HOP_BY_HOP) delete headers[h];
        for (const token of String(answer.headers.connection ?? '').split(','))
          delete headers[token.trim().toLowerCase()];
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        // A web process that dies mid-answer must end the client's response too (a live-progress
        // stream would otherwise wait for ever instead of reconnecting).
        pipeline(answer, res, (err) => {
          if (err) res.destroy();
        });
      },
    );
    upstream.on('error', () => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(503, {
        ...SECURITY_HEADERS,
        'Content-Type': 'text/plain; charset=utf-8',
        'Retry-After': '5',
        'Cache-Control': 'no-store',
      });
      res.end('The dashboard is starting or restarting; try again in a few seconds.\n');
    });
    // A client that goes away (closed tab, aborted live stream) ends the request upstream too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (req.headers['transfer-encoding'] || Number(req.headers['content-length'] ?? 0) > 0) req.pipe(upstream);
    else upstream.end();
  }
}
