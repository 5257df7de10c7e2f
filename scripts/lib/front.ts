// The front of `npm start`: owns the public port, answers /api/health itself and passes every other
// request to the web process over its Unix socket. Node runs a page's rendering on one thread, so a
// health check answered by the web process waits behind whatever pages are being rendered; the
// front does almost nothing else and answers at once, while still reporting a web process that has
// stopped responding (no heartbeat) as unavailable. It also answers status badges whose stored
// compliance snapshot is fresh (lib/compliance/badge.ts): one query, no rendering.
//
// It is the one place that knows how the client reached us, so it states that to the web process
// (client address, forwarded host and scheme) together with a per-boot proof only the two share,
// adds HSTS to answers given over https, and, while the database does not answer its probe, answers
// every request itself with a clear 503 (HTML for pages, JSON for the API) instead of letting pages
// hang until some pool gives up.
import http from 'node:http';
import { pipeline } from 'node:stream';
import { CLIENT_ADDRESS_HEADER, FRONT_PROOF_HEADER, resolveClientAddress } from '../../lib/auth/client-address';
import { checkHealth, type Health, type HealthQuery } from '../../lib/health';
import { HSTS_HEADER, OWN_ANSWER_CSP, SECURITY_HEADERS } from '../../lib/security-headers';
import type { PublicCache, Rendered } from './public-cache';

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
  /** Kept renders of public answers (./public-cache.ts); made with `render` from createFront's result. */
  publicCache?: (render: (path: string, headers: http.OutgoingHttpHeaders) => Promise<Rendered>) => PublicCache;
  /** The per-boot secret that proves to the web process that a request came through us. */
  frontSecret?: string;
  /** Whether the database answers (see watchDatabase); while it does not, the front answers 503. */
  database?: DatabaseWatch;
}

export interface DatabaseWatch {
  down(): boolean;
  /** Called when the database stops answering. */
  onDown(listener: () => void): void;
  stop(): void;
}

/**
 * Probes the database every `intervalMs` with `probe` (which must give up by itself within about a
 * second); after `failures` probes in a row fail, it is down until one succeeds. Two in a row, so a
 * single slow answer on a busy machine does not turn pages away.
 */
export function watchDatabase(
  probe: () => Promise<unknown>,
  o: { intervalMs?: number; failures?: number } = {},
): DatabaseWatch {
  let failed = 0;
  let isDown = false;
  let stopped = false;
  const listeners: (() => void)[] = [];
  const limit = o.failures ?? 2;
  const tick = async () => {
    if (stopped) return;
    try {
      await probe();
      failed = 0;
      isDown = false;
    } catch {
      failed++;
      if (failed >= limit && !isDown) {
        isDown = true;
        for (const l of listeners) l();
      }
    }
    // A failed probe is repeated at once: detection takes two probe timeouts, not two intervals.
    if (!stopped) timer = setTimeout(() => void tick(), failed > 0 && !isDown ? 0 : (o.intervalMs ?? 1000));
    timer.unref();
  };
  let timer = setTimeout(() => void tick(), 0);
  timer.unref();
  return {
    down: () => isDown,
    onDown: (l) => listeners.push(l),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** Paths the web process serves without the database (built assets). */
const STATIC_PATH = /^\/(_next\/static\/|favicon\.ico$|robots\.txt$)/;

function validPercentEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Addresses longer than this are answered 414 here. No address of the dashboard comes near it; a longer
 * one can make the web process's answer (a redirect naming the address) too large for the front to read
 * back, which the client would see as a 503. (8 KiB, as nginx's default header buffer.)
 */
export const MAX_URL_LENGTH = 8 * 1024;

/**
 * 400 for a path that is not valid percent-encoding, 414 for an address longer than MAX_URL_LENGTH
 * (JSON for the API).
 */
export function invalidPathAnswer(path: string, problem: 'encoding' | 'length' = 'encoding'): Answer {
  const [status, code, message] =
    problem === 'length'
      ? [414, 'uri_too_long', `The address is longer than ${MAX_URL_LENGTH} characters.`]
      : [400, 'invalid_path', 'The address is not valid percent-encoding.'];
  return path.startsWith('/api/')
    ? {
        status,
        headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
        body: JSON.stringify({ error: { code, message } }),
      }
    : { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `${message}\n` };
}

/** The front's own 503 while the database does not answer: JSON for the API, a small page otherwise. */
export function databaseUnavailableAnswer(path: string): Answer {
  const message =
    'The database is not answering. The dashboard will be back as soon as it does; try again in a few seconds.';
  const headers = { 'Retry-After': '5', 'Cache-Control': 'no-store' };
  if (path.startsWith('/api/'))
    return {
      status: 503,
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ error: { code: 'database_unavailable', message } }),
    };
  return {
    status: 503,
    headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Temporarily unavailable · SCS Key-Manager Conformance</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#0f172a}h1{font-size:1.5rem}</style></head><body><main><h1>Temporarily unavailable</h1><p>${message}</p></main></body></html>`,
  };
}

const BADGE_PATH = /^\/badge\/([^/]+)\.svg$/;

/** How long an answer to a refused body waits for the client to stop sending before the connection closes. */
const LINGER_MS = 5_000;

/** Whether the client reached us over https: PUBLIC_URL says so, or the trusted proxy does. */
export function overHttps(req: http.IncomingMessage, o: Pick<FrontOptions, 'trustProxy' | 'publicUrl'>): boolean {
  if (o.publicUrl) return o.publicUrl.protocol === 'https:';
  return o.trustProxy && forwardedProto(req) === 'https';
}

/** The scheme the trusted proxy states (its first X-Forwarded-Proto value), if any. */
function forwardedProto(req: http.IncomingMessage): string | undefined {
  const v = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' || first === 'http' ? first : undefined;
}

function send(req: http.IncomingMessage, res: http.ServerResponse, a: Answer, https = false): void {
  res.writeHead(a.status, {
    ...SECURITY_HEADERS,
    'Content-Security-Policy': OWN_ANSWER_CSP,
    ...(https ? HSTS_HEADER : {}),
    ...a.headers,
  });
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
  o: Pick<FrontOptions, 'trustProxy' | 'publicUrl' | 'host' | 'port' | 'frontSecret'>,
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
  // OpenID Connect redirect URLs (and decides on Secure cookies) from them: state the address and
  // scheme the client really used. Behind a trusted proxy each one it states is taken on its own, so
  // X-Forwarded-Proto: https without X-Forwarded-Host still means https.
  if (o.publicUrl) {
    headers['x-forwarded-host'] = o.publicUrl.host;
    headers['x-forwarded-proto'] = o.publicUrl.protocol.replace(':', '');
  } else {
    const proxyHost = o.trustProxy ? req.headers['x-forwarded-host'] : undefined;
    headers['x-forwarded-host'] =
      (Array.isArray(proxyHost) ? proxyHost[0] : proxyHost)?.split(',')[0]?.trim() ||
      req.headers.host ||
      `${o.host}:${o.port}`;
    headers['x-forwarded-proto'] = (o.trustProxy && forwardedProto(req)) || 'http';
  }
  // Without the proof the web process ignores all of the above (proxy.ts); with a client's own proof
  // header overwritten here, only we can give it.
  if (o.frontSecret) headers[FRONT_PROOF_HEADER] = o.frontSecret;
  else delete headers[FRONT_PROOF_HEADER];
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
  // Requests passed on whose answer has not begun: answered by us when the database goes away.
  const waiting = new Map<http.ServerResponse, () => void>();
  o.database?.onDown(() => {
    for (const abandon of [...waiting.values()]) abandon();
  });
  const publicCache = o.publicCache?.(render);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const readOnly = req.method === 'GET' || req.method === 'HEAD';
    const https = overHttps(req, o);
    if (path === '/api/health' && readOnly) {
      void frontHealth(o).then((h) =>
        send(
          req,
          res,
          {
            status: h.status === 'ok' ? 200 : 503,
            headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
            body: JSON.stringify(h),
          },
          https,
        ),
      );
      return;
    }
    if ((req.url ?? '').length > MAX_URL_LENGTH) {
      req.resume();
      send(req, res, invalidPathAnswer(path, 'length'), https);
      return;
    }
    if (!validPercentEncoding(path)) {
      // Next.js would fail on it with a 500 before any route of ours sees it.
      req.resume();
      send(req, res, invalidPathAnswer(path), https);
      return;
    }
    if (o.database?.down() && !STATIC_PATH.test(path)) {
      req.resume();
      send(req, res, databaseUnavailableAnswer(path), https);
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
        .then((a) => (a ? send(req, res, a, https) : pass(req, res, https)));
      return;
    }
    const cached = publicCache && readOnly ? publicCache.answer(req, () => forwardHeaders(req, o)) : null;
    if (cached) {
      // A database hiccup or a failed render: the request takes the ordinary way.
      void cached
        .catch(() => null)
        .then((a) => {
          if (!a) return pass(req, res, https);
          res.writeHead(a.status, { ...a.headers, ...(https ? HSTS_HEADER : {}) });
          res.end(req.method === 'HEAD' ? undefined : a.body);
        });
      return;
    }
    pass(req, res, https);
  });
  server.keepAliveTimeout = 65_000;
  return server;

  /** A whole answer of the web process to a GET (for the public cache). */
  function render(path: string, headers: http.OutgoingHttpHeaders): Promise<Rendered> {
    return new Promise((resolve, reject) => {
      const upstream = http.request({ socketPath: o.socketPath, agent, method: 'GET', path, headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }),
        );
        answer.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end();
    });
  }

  function pass(req: http.IncomingMessage, res: http.ServerResponse, https: boolean): void {
    const path = (req.url ?? '/').split('?')[0];
    if (o.database?.down() && !STATIC_PATH.test(path)) {
      req.resume();
      send(req, res, databaseUnavailableAnswer(path), https);
      return;
    }
    const upstream = http.request(
      { socketPath: o.socketPath, agent, method: req.method, path: req.url, headers: forwardHeaders(req, o) },
      (answer) => {
        waiting.delete(res);
        const headers = { ...answer.headers, ...(https ? HSTS_HEADER : {}) };
        for (const h of HOP_BY_HOP) delete headers[h];
        for (const token of String(answer.headers.connection ?? '').split(','))
          delete headers[token.trim().toLowerCase()];
        // Answered before the client finished sending (a refused body): this connection cannot carry
        // another request, so the client must not reuse it.
        const early = !req.complete;
        if (early) headers.connection = 'close';
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        if (early) {
          // A lingering close: the client is still sending what the web process refused. Closing now
          // would reset the connection with its bytes unread, and the client could lose this answer
          // (EPIPE before it read the 413). Read and drop the rest first, for at most LINGER_MS.
          req.unpipe(upstream);
          req.resume();
          const drained = new Promise<void>((resolve) => {
            req.once('end', resolve);
            req.once('close', resolve);
            setTimeout(resolve, LINGER_MS).unref();
          });
          answer.pipe(res, { end: false });
          answer.once('end', () => {
            answered = true;
            // Its request body will never be finished: free the socket rather than wait for the web
            // process to time it out.
            upstream.destroy();
            void drained.then(() => res.end());
          });
          answer.once('error', () => res.destroy());
          return;
        }
        // A web process that dies mid-answer must end the client's response too (a live-progress
        // stream would otherwise wait for ever instead of reconnecting).
        pipeline(answer, res, (err) => {
          if (err) res.destroy();
        });
      },
    );
    // The whole answer of a refused body is in: the web process closing its end later is no error.
    let answered = false;
    let abandoned = false;
    if (!STATIC_PATH.test(path))
      waiting.set(res, () => {
        // The database stopped answering while the web process works on this: answer now.
        abandoned = true;
        waiting.delete(res);
        upstream.destroy();
        if (!res.headersSent) send(req, res, databaseUnavailableAnswer(path), https);
      });
    upstream.on('error', () => {
      waiting.delete(res);
      if (abandoned || answered) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(503, {
        ...SECURITY_HEADERS,
        ...(https ? HSTS_HEADER : {}),
        'Content-Type': 'text/plain; charset=utf-8',
        'Retry-After': '5',
        'Cache-Control': 'no-store',
      });
      res.end('The dashboard is starting or restarting; try again in a few seconds.\n');
    });
    // A client that goes away (closed tab, aborted live stream) ends the request upstream too.
    res.on('close', () => {
      waiting.delete(res);
      if (!res.writableFinished) upstream.destroy();
    });
    if (req.headers['transfer-encoding'] || Number(req.headers['content-length'] ?? 0) > 0) req.pipe(upstream);
    else upstream.end();
  }
}
