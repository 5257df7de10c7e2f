import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from './errors';
import type { Evidence } from './evidence';
import { HttpClient } from './http';
import { REDACTED } from './redact';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes = new Map<string, Handler>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const h = routes.get((req.url ?? '/').split('?')[0]!);
    if (h) return h(req, res);
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes.set('/hang', () => undefined);
  routes.set('/trickle', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const t = setInterval(() => res.write(' '), 50);
    res.on('close', () => clearInterval(t));
  });
  routes.set('/stall-body', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"a":');
  });
  routes.set('/token', (req, res) => {
    res.writeHead(201, {
      'content-type': 'application/json',
      'x-subject-token': 'gAAAAAtoken-that-is-long-enough-to-look-real',
    });
    res.end(JSON.stringify({ token: { roles: [{ name: 'member' }] }, echo: req.headers['x-auth-token'] }));
  });
  routes.set('/to-http', (_req, res) => {
    res.writeHead(302, { location: 'https://127.0.0.1/x' });
    res.end();
  });
  routes.set('/loop', (_req, res) => {
    res.writeHead(302, { location: '/loop' });
    res.end();
  });
  routes.set('/big', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`"${'x'.repeat(20_000)}"`);
  });
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

function client(extra: ConstructorParameters<typeof HttpClient>[0] = {}) {
  return new HttpClient({
    allowPrivateAddresses: true,
    timeouts: { connectMs: 500, headersMs: 300, bodyMs: 300 },
    ...extra,
  });
}

async function failure(c: HttpClient, url: string): Promise<TransportError> {
  const err = await c.request({ service: 'key-manager', method: 'GET', url }).catch((e: unknown) => e);
  await c.close();
  expect(err).toBeInstanceOf(TransportError);
  return err as TransportError;
}

describe('timeouts', () => {
  it('a server that never answers fails as headers-timeout, within about a second of the limit', async () => {
    const t0 = Date.now();
    const err = await failure(client(), `${base}/hang`);
    expect(err.failure).toBe('headers-timeout');
    expect(err.message).toMatch(/no response within 300 ms/);
    expect(Date.now() - t0).toBeLessThan(1_800);
  });

  it('a body that stalls fails as body-timeout', async () => {
    const err = await failure(client(), `${base}/stall-body`);
    expect(err.failure).toBe('body-timeout');
  });

  it('a body that trickles forever is stopped by the overall deadline (connect + headers + body)', async () => {
    const t0 = Date.now();
    const err = await failure(client(), `${base}/trickle`);
    expect(err.failure).toBe('deadline');
    expect(err.message).toMatch(/did not complete within 1100 ms/);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('a refused connection is named as such', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await failure(client(), `http://127.0.0.1:${port}/`);
    expect(err.failure).toBe('connection-refused');
  });
});

describe('redirects', () => {
  it('refuses a redirect to the same host with another scheme or port (another origin)', async () => {
    const err = await failure(client(), `${base}/to-http`);
    expect(err.failure).toBe('redirect-refused');
    expect(err.message).toMatch(/to another origin \(https:\/\/127\.0\.0\.1\)/);
  });

  it('stops after a few same-origin redirects', async () => {
    const err = await failure(client(), `${base}/loop`);
    expect(err.failure).toBe('redirect-refused');
    expect(err.message).toMatch(/more than 3 times/);
  });
});

describe('body cap', () => {
  it('cuts a body above the configured cap', async () => {
    const err = await failure(client({ maxBodyBytes: 10_000 }), `${base}/big`);
    expect(err.failure).toBe('body-too-large');
  });
});

describe('evidence', () => {
  it('records method, URL, status and duration, with tokens redacted in both directions', async () => {
    const evidence: Evidence[] = [];
    const c = client({ onExchange: (e) => evidence.push(e) });
    c.redactor.addSecret('request-token-123456');
    const res = await c.request({
      service: 'identity',
      method: 'POST',
      url: `${base}/token`,
      headers: { 'X-Auth-Token': 'request-token-123456' },
      json: { auth: { password: 'pw-very-secret' } },
    });
    await c.close();
    expect(res.headers['x-subject-token']).toMatch(/^gAAAAA/); // the caller gets the real token
    const [e] = evidence;
    expect(e).toMatchObject({ seq: 1, method: 'POST', url: `${base}/token`, status: 201, service: 'identity' });
    expect(e!.durationMs).toBeGreaterThanOrEqual(0);
    expect(e!.requestHeaders['x-auth-token']).toBe(REDACTED);
    expect(e!.responseHeaders!['x-subject-token']).toBe(REDACTED);
    const all = JSON.stringify(evidence);
    expect(all).not.toContain('pw-very-secret');
    expect(all).not.toContain('request-token-123456');
    expect(all).not.toContain('gAAAAAtoken');
  });

  it('keeps only the size of a secret response body', async () => {
    const evidence: Evidence[] = [];
    const c = client({ onExchange: (e) => evidence.push(e) });
    await c.request({ service: 'key-manager', method: 'GET', url: `${base}/big`, secretResponse: true });
    await c.close();
    expect(evidence[0]!.responseBody).toBe(`${REDACTED} (20002 bytes)`);
  });

  it('shortens long bodies in evidence and says so', async () => {
    const evidence: Evidence[] = [];
    const c = client({ onExchange: (e) => evidence.push(e) });
    await c.request({ service: 'key-manager', method: 'GET', url: `${base}/big` });
    await c.close();
    expect(evidence[0]!.bodyTruncated).toBe(true);
    expect(evidence[0]!.responseBytes).toBe(20002);
  });
});
