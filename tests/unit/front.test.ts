// The front process of `npm start` (scripts/lib/front.ts): health answered by the front even when
// the web process does not answer at all, the web process's heartbeat deciding "responding", and
// requests passed on with the client address stated by the front (never the client's own claim).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFront, forwardHeaders, overHttps, watchDatabase, type DatabaseWatch } from '../../scripts/lib/front';
import { migrationNames } from '../../lib/db/migrate-state';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'front-test-'));
const socketPath = path.join(dir, 'web.sock');
let backend: http.Server;
let front: http.Server;
let base = '';
let heartbeat: number | null = 0;
let hang = false;
const seen: http.IncomingHttpHeaders[] = [];
const applied = migrationNames().map((migration_name) => ({ migration_name }));

beforeAll(async () => {
  backend = http.createServer((req, res) => {
    seen.push(req.headers);
    if (hang) return; // a web process busy for ever
    if (req.url === '/dies') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'Content-Type': 'text/plain', 'X-Upstream': 'yes' });
      res.end(`${req.method} ${req.url} ${body}`);
    });
  });
  await new Promise<void>((r) => backend.listen(socketPath, r));
  front = createFront({
    socketPath,
    host: '127.0.0.1',
    port: 0,
    trustProxy: false,
    publicUrl: null,
    query: async () => applied,
    heartbeatAge: () => heartbeat,
    badge: async (slug) => {
      if (slug === 'broken') throw new Error('database hiccup');
      if (slug === 'stale') return null;
      return { status: 200, headers: { 'Content-Type': 'image/svg+xml' }, body: `<svg>${slug}</svg>` };
    },
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(front.address() as { port: number }).port}`;
});
afterAll(async () => {
  front.closeAllConnections();
  backend.closeAllConnections();
  await new Promise((r) => front.close(r));
  await new Promise((r) => backend.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('front process', () => {
  it('passes requests on: method, path, body, status, repeated Set-Cookie headers', async () => {
    const res = await fetch(`${base}/missing?x=1`, { method: 'POST', body: 'hello' });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('POST /missing?x=1 hello');
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('states the client address itself, ignoring what the client claims', async () => {
    await fetch(`${base}/x`, { headers: { 'X-Scs-Client-Address': '203.0.113.9', 'X-Forwarded-For': '203.0.113.7' } });
    const h = seen[seen.length - 1];
    expect(h['x-scs-client-address']).toBe('127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('http');
  });

  it('answers /api/health itself while the web process answers nothing', async () => {
    hang = true;
    heartbeat = 400;
    const before = seen.length;
    try {
      const res = await fetch(`${base}/api/health`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({
        status: 'ok',
        database: { reachable: true },
        web: { responding: true, lastHeartbeatMs: 400 },
      });
      expect(seen.length).toBe(before); // never reached the web process
    } finally {
      hang = false;
    }
  });

  it('reports a web process without a recent heartbeat as unavailable (503)', async () => {
    heartbeat = 60_000;
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(503);
    expect((await res.json()).web.responding).toBe(false);
    heartbeat = null;
    expect((await fetch(`${base}/api/health`)).status).toBe(503);
    heartbeat = 0;
  });

  it('answers a badge itself when it can, and passes it on when the snapshot is stale or the lookup fails', async () => {
    const before = seen.length;
    const own = await fetch(`${base}/badge/fresh%2Done.svg`);
    expect(await own.text()).toBe('<svg>fresh-one</svg>');
    expect(own.headers.get('x-frame-options')).toBe('DENY');
    expect(seen.length).toBe(before);
    for (const slug of ['stale', 'broken']) {
      const res = await fetch(`${base}/badge/${slug}.svg`);
      expect(await res.text()).toBe(`GET /badge/${slug}.svg `);
    }
    expect(seen.length).toBe(before + 2);
    // Only GET and HEAD of the exact badge path.
    expect(await (await fetch(`${base}/badge/fresh.svg`, { method: 'POST' })).text()).toBe('POST /badge/fresh.svg ');
    expect(await (await fetch(`${base}/badge/a/b.svg`)).text()).toBe('GET /badge/a/b.svg ');
  });

  it('passes a chunked body on chunked, so it cannot be read as a second request (no smuggling)', async () => {
    const before = seen.length;
    const smuggled = 'GET /smuggled HTTP/1.1\r\nHost: x\r\nX-Scs-Client-Address: 6.6.6.6\r\n\r\n';
    const reply = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        `${base}/x`,
        { method: 'DELETE', headers: { 'Transfer-Encoding': 'chunked' } },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
      req.end(smuggled);
    });
    expect(reply).toBe(`DELETE /x ${smuggled}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.length).toBe(before + 1);
    expect(seen.every((h) => h['x-scs-client-address'] !== '6.6.6.6')).toBe(true);
  });

  it('ends the client’s response when the web process dies in the middle of it', async () => {
    const res = await fetch(`${base}/dies`);
    expect(res.status).toBe(200);
    const outcome = await res.text().then(
      () => 'ended',
      () => 'aborted',
    );
    expect(['ended', 'aborted']).toContain(outcome); // what matters: it does not hang
  });

  it('answers 503 with Retry-After while the web process is not listening', async () => {
    await new Promise((r) => backend.close(r));
    backend.closeAllConnections();
    try {
      const res = await fetch(`${base}/anything`, { headers: { Connection: 'close' } });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
    } finally {
      await new Promise<void>((r) => backend.listen(socketPath, r));
    }
  });

  it('proves itself to the web process with the per-boot secret, never passing on a client’s own proof', () => {
    const req = {
      headers: { host: 'km.example', 'x-scs-front-proof': 'forged' },
      socket: { remoteAddress: '203.0.113.9' },
    } as unknown as http.IncomingMessage;
    const o = { trustProxy: false, publicUrl: null, host: '127.0.0.1', port: 3000 };
    expect(forwardHeaders(req, { ...o, frontSecret: 'boot-secret' })['x-scs-front-proof']).toBe('boot-secret');
    expect(forwardHeaders(req, o)['x-scs-front-proof']).toBeUndefined();
  });

  it('behind a trusted proxy, X-Forwarded-Proto https counts without X-Forwarded-Host (Secure cookie, HSTS)', () => {
    const req = {
      headers: { host: 'km.example', 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.4' },
      socket: { remoteAddress: '10.0.0.2' },
    } as unknown as http.IncomingMessage;
    const o = { trustProxy: true, publicUrl: null, host: '127.0.0.1', port: 3000 };
    const h = forwardHeaders(req, o);
    expect(h['x-forwarded-proto']).toBe('https');
    expect(h['x-forwarded-host']).toBe('km.example');
    expect(overHttps(req, o)).toBe(true);
    // Not trusted: the client's claim is not taken.
    expect(forwardHeaders(req, { ...o, trustProxy: false })['x-forwarded-proto']).toBe('http');
    expect(overHttps(req, { ...o, trustProxy: false })).toBe(false);
  });

  it('while the database does not answer: 503 from the front (JSON for the API, a page otherwise), also for requests already waiting', async () => {
    let down = false;
    const listeners: (() => void)[] = [];
    const database: DatabaseWatch = { down: () => down, onDown: (l) => listeners.push(l), stop() {} };
    const f = createFront({
      socketPath,
      host: '127.0.0.1',
      port: 0,
      trustProxy: false,
      publicUrl: new URL('https://km.example'),
      query: async () => applied,
      heartbeatAge: () => 0,
      database,
    });
    await new Promise<void>((r) => f.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(f.address() as { port: number }).port}`;
    try {
      hang = true; // the web process waits on the database for ever
      const waiting = fetch(`${url}/clouds`);
      await new Promise((r) => setTimeout(r, 100));
      down = true;
      listeners.forEach((l) => l());
      const page = await waiting;
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/database is not answering/);
      expect(page.headers.get('strict-transport-security')).toMatch(/max-age=/);
      const api = await fetch(`${url}/api/v1/clouds`);
      expect(api.status).toBe(503);
      expect(await api.json()).toMatchObject({ error: { code: 'database_unavailable' } });
      expect(api.headers.get('retry-after')).toBe('5');
    } finally {
      hang = false;
      f.closeAllConnections();
      await new Promise((r) => f.close(r));
    }
  });

  it('answers a path that is not valid percent-encoding with 400 itself (JSON for the API)', async () => {
    const api = await fetch(`${base}/api/v1/clouds/%E0%A4%A`);
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: { code: 'invalid_path' } });
    const page = await fetch(`${base}/status/%E0%A4%A`);
    expect(page.status).toBe(400);
  });

  it('watchDatabase: down after two failed probes in a row, up again after one that answers', async () => {
    let ok = true;
    const w = watchDatabase(
      async () => {
        if (!ok) throw new Error('no answer');
      },
      { intervalMs: 10 },
    );
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(w.down()).toBe(false);
      ok = false;
      await new Promise((r) => setTimeout(r, 60));
      expect(w.down()).toBe(true);
      ok = true;
      await new Promise((r) => setTimeout(r, 60));
      expect(w.down()).toBe(false);
    } finally {
      w.stop();
    }
  });
});
