// The front process's kept renders of public answers (status pages, status JSON, revocation lists;
// which ones and what they depend on: lib/compliance/public-cache.ts). A request for one is checked
// with one small query (the tag of what the answer is made of) and, while the tag is unchanged,
// answered from memory with an ETag (304 for a matching If-None-Match) and gzip when the client
// accepts it, without reaching the web process. Anything else (a stale snapshot, a cloud that is not
// listed, a request carrying credentials) is passed on as before. Measured with `npm run bench:load`:
// the web process renders a status page in milliseconds of its one thread, the front answers a
// kept one in a fraction of that, and the tag query is the badge's (bench/README.md).

import crypto from 'node:crypto';
import type http from 'node:http';
import zlib from 'node:zlib';
import type { SqlQuery } from '../../lib/compliance/badge';
import { cachedScope, scopeKey, scopeTag, type CacheScope } from '../../lib/compliance/public-cache';

export interface Rendered {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface CachedAnswer {
  status: number;
  headers: Record<string, string>;
  /** Undefined for a 304. */
  body?: Buffer;
}

export interface PublicCacheOptions {
  query: SqlQuery;
  now: () => Date;
  /** A GET of this path (with query) from the web process, with these headers. */
  render: (path: string, headers: http.OutgoingHttpHeaders) => Promise<Rendered>;
  maxBytes?: number;
  maxEntries?: number;
}

export interface PublicCache {
  /** The answer from a kept render (or a new one), or null to pass the request on unchanged. */
  answer(req: http.IncomingMessage, forwarded: () => http.OutgoingHttpHeaders): Promise<CachedAnswer | null> | null;
  stats(): { hits: number; renders: number; entries: number; bytes: number };
}

interface Entry {
  tag: string;
  etag: string;
  headers: Record<string, string>;
  body: Buffer;
  gzip: Buffer | null;
}

// Not kept: per-connection or per-answer headers, and those the cache sets itself.
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'date',
  'content-length',
  'content-encoding',
  'etag',
  'vary',
  'set-cookie',
]);
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

/** Runs `fn` for a key at most once at a time; callers arriving meanwhile share the NEXT run (never a stale one). */
export function coalescer<T>() {
  const running = new Map<string, Promise<T>>();
  const queued = new Map<string, Promise<T>>();
  const start = (key: string, fn: () => Promise<T>): Promise<T> => {
    const p = fn().finally(() => {
      if (running.get(key) === p) running.delete(key);
    });
    running.set(key, p);
    return p;
  };
  return (key: string, fn: () => Promise<T>): Promise<T> => {
    const current = running.get(key);
    if (!current) return start(key, fn);
    let next = queued.get(key);
    if (!next) {
      next = current
        .catch(() => undefined)
        .then(() => {
          queued.delete(key);
          return start(key, fn);
        });
      queued.set(key, next);
    }
    return next;
  };
}

/** Whether an If-None-Match header names this entity tag (weak comparison, RFC 9110 §13.1.2). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => bare(t) === bare(etag));
}

export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

function keptHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !DROPPED.has(k)) out[k] = String(v);
  return out;
}

export function createPublicCache(o: PublicCacheOptions): PublicCache {
  const maxBytes = o.maxBytes ?? 64 * 1024 * 1024;
  const maxEntries = o.maxEntries ?? 2000;
  const entries = new Map<string, Entry>();
  let bytes = 0;
  let hits = 0;
  let renders = 0;
  const tags = coalescer<string | null>();
  const rendering = new Map<string, Promise<Entry | Rendered>>();
  const size = (e: Entry) => e.body.length + (e.gzip?.length ?? 0);

  function keep(key: string, e: Entry): void {
    const old = entries.get(key);
    if (old) {
      bytes -= size(old);
      entries.delete(key);
    }
    entries.set(key, e);
    bytes += size(e);
    for (const [k, v] of entries) {
      if (bytes <= maxBytes && entries.size <= maxEntries) break;
      entries.delete(k);
      bytes -= size(v);
    }
  }

  async function renderAndKeep(
    key: string,
    tag: string,
    url: string,
    forwarded: http.OutgoingHttpHeaders,
  ): Promise<Entry | Rendered> {
    const headers = { ...forwarded };
    // The render is the anonymous, uncompressed, unconditional one: the same for every caller.
    for (const h of ['accept-encoding', 'if-none-match', 'if-modified-since', 'range', 'cookie', 'authorization'])
      delete headers[h];
    renders++;
    const r = await o.render(url, headers);
    if (r.status !== 200 || r.headers['set-cookie'] || r.body.length > MAX_ENTRY_BYTES) return r;
    const body = r.body;
    const e: Entry = {
      tag,
      etag: `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      headers: keptHeaders(r.headers),
      body,
      gzip: body.length >= 1024 ? zlib.gzipSync(body) : null,
    };
    keep(key, e);
    return e;
  }

  function fromEntry(req: http.IncomingMessage, e: Entry, state: 'hit' | 'miss'): CachedAnswer {
    const headers = { ...e.headers, etag: e.etag, vary: 'Accept-Encoding', 'x-cache': state };
    if (matchesEtag(req.headers['if-none-match'], e.etag)) {
      const keep304 = ['cache-control', 'etag', 'vary', 'x-cache', 'expires'];
      return { status: 304, headers: Object.fromEntries(Object.entries(headers).filter(([k]) => keep304.includes(k))) };
    }
    if (e.gzip && acceptsGzip(req.headers['accept-encoding']))
      return { status: 200, headers: { ...headers, 'content-encoding': 'gzip' }, body: e.gzip };
    return { status: 200, headers, body: e.body };
  }

  function answer(req: http.IncomingMessage, forwarded: () => http.OutgoingHttpHeaders) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return null;
    const url = new URL(req.url ?? '/', 'http://front.invalid');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return null;
    }
    // Answers to a caller with a token or (on the API) a session are that caller's: not from here.
    if (req.headers.authorization || (path.startsWith('/api/') && req.headers.cookie)) return null;
    const scope: CacheScope | null = cachedScope(path, url.searchParams);
    if (!scope) return null;
    return cachedAnswer(req, url, scope, forwarded());
  }

  async function cachedAnswer(
    req: http.IncomingMessage,
    url: URL,
    scope: CacheScope,
    forwarded: http.OutgoingHttpHeaders,
  ): Promise<CachedAnswer | null> {
    const tag = await tags(scopeKey(scope), () => scopeTag(o.query, scope, o.now()));
    if (!tag) return null;
    // Links in the answers follow the address the client used (lib/compliance/public-origin.ts).
    const key = [url.pathname + url.search, forwarded['x-forwarded-proto'], forwarded['x-forwarded-host']].join(' ');
    const kept = entries.get(key);
    if (kept && kept.tag === tag) {
      hits++;
      entries.delete(key);
      entries.set(key, kept); // most recently used last
      return fromEntry(req, kept, 'hit');
    }
    // Requests for the same answer arriving together share one render.
    const flight = `${key} ${tag}`;
    let p = rendering.get(flight);
    if (!p) {
      p = renderAndKeep(key, tag, url.pathname + url.search, forwarded).finally(() => rendering.delete(flight));
      rendering.set(flight, p);
    }
    const r = await p;
    if ('etag' in r) return fromEntry(req, r, 'miss');
    return { status: r.status, headers: keptHeaders(r.headers), body: r.body };
  }

  return { answer, stats: () => ({ hits, renders, entries: entries.size, bytes }) };
}
