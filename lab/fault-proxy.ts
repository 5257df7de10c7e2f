// A small fault-injecting HTTP proxy in front of the REAL lab Barbican (loopback only), for the
// situations a plain Barbican cannot produce on demand: a version discovery document that fails,
// a host_href that names another host, slow answers, a create that lands after the client gave up,
// a created secret that the list does not show. The official suite (openstack_test.py with
// openstacksdk) and our checks both talk to the proxy, so both see exactly the same cloud.
//
// Without faults the proxy is transparent: it forwards every request and rewrites the Barbican's
// own origin (its host_href) in bodies and Location headers to the proxy's origin, as a Barbican
// configured with the proxy's address as host_href would answer. (Without that rewrite,
// openstacksdk would follow the discovery document's self link straight to the real Barbican.)

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyFault =
  /** GET on the versionless root (version discovery) answers this instead of Barbican's document. */
  | { kind: 'discovery'; status: number; body: string; contentType?: string }
  /** hrefs (discovery self link, secret_ref, next/previous) name this origin instead of the proxy's. */
  | { kind: 'host-href'; origin: string }
  /** Requests matching method and path get their answer this much later. */
  | { kind: 'slow'; method: string; path: RegExp; ms: number }
  /**
   * POST /v1/secrets gets no answer: the proxy holds it until the client gives up or `holdMs` pass,
   * then drops the connection unanswered and forwards the create to Barbican `landAfterMs` later.
   * From the client's side: a create that timed out (or was cut off) but lands later.
   */
  | { kind: 'late-create'; holdMs: number; landAfterMs: number }
  /** Secret lists leave out secrets with this exact name (a created secret that cannot be found). */
  | { kind: 'hide-secrets'; name: string };

export interface ProxyLogEntry {
  at: number;
  method: string;
  path: string;
  status: number | null;
  note?: string;
}

export class FaultProxy {
  faults: ProxyFault[] = [];
  readonly log: ProxyLogEntry[] = [];
  private server?: http.Server;
  private port = 0;
  private readonly pending = new Set<Promise<void>>();
  private readonly target: URL;

  constructor(targetOrigin: string) {
    this.target = new URL(targetOrigin);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Set the faults of the next variant (and forget the request log). */
  use(...faults: ProxyFault[]): void {
    this.faults = faults;
    this.log.length = 0;
  }

  /** Wait until every held request has been forwarded (late creates have landed). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async stop(): Promise<void> {
    await this.settle();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private fault<K extends ProxyFault['kind']>(kind: K): Extract<ProxyFault, { kind: K }> | undefined {
    return this.faults.find((f) => f.kind === kind) as Extract<ProxyFault, { kind: K }> | undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    const entry: ProxyLogEntry = { at: Date.now(), method, path: url, status: null };
    this.log.push(entry);
    const body = await readBody(req);

    const discovery = this.fault('discovery');
    if (discovery && method === 'GET' && (path === '/' || path === '')) {
      entry.status = discovery.status;
      entry.note = 'discovery fault';
      res.writeHead(discovery.status, { 'content-type': discovery.contentType ?? 'application/json' });
      res.end(discovery.body);
      return;
    }

    const late = this.fault('late-create');
    if (late && method === 'POST' && /^\/v1\/secrets\/?$/.test(path)) {
      entry.note = 'held, then dropped unanswered';
      const landed = new Promise<void>((resolve) => {
        const hold = setTimeout(() => res.destroy(), late.holdMs);
        res.once('close', () => {
          clearTimeout(hold);
          setTimeout(() => {
            this.forward(method, url, req.headers, body)
              .then((r) => {
                entry.status = r.status;
                entry.note = `landed ${late.landAfterMs} ms after the client gave up`;
              })
              .catch((err: unknown) => (entry.note = `forwarding the late create failed: ${String(err)}`))
              .finally(resolve);
          }, late.landAfterMs);
        });
      });
      this.pending.add(landed);
      void landed.finally(() => this.pending.delete(landed));
      return;
    }

    const slow = this.faults.find(
      (f): f is Extract<ProxyFault, { kind: 'slow' }> => f.kind === 'slow' && f.method === method && f.path.test(path),
    );

    let answer: Answer;
    try {
      answer = await this.forward(method, url, req.headers, body);
    } catch (err) {
      entry.status = 502;
      entry.note = String(err);
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('proxy: Barbican unreachable');
      return;
    }
    if (slow) {
      entry.note = `answer held ${slow.ms} ms`;
      const gone = await Promise.race([sleep(slow.ms).then(() => false), closed(res)]);
      if (gone) {
        entry.note += ' (the client gave up first)';
        return;
      }
    }

    let text = answer.body.toString('utf8');
    const hide = this.fault('hide-secrets');
    if (hide && method === 'GET' && /^\/v1\/secrets\/?$/.test(path) && answer.status === 200) {
      const doc = JSON.parse(text) as { secrets?: Array<{ name?: string }>; total?: number };
      const kept = (doc.secrets ?? []).filter((s) => s.name !== hide.name);
      doc.total = Math.max(0, (doc.total ?? 0) - ((doc.secrets?.length ?? 0) - kept.length));
      doc.secrets = kept;
      text = JSON.stringify(doc);
    }
    const advertised = this.fault('host-href')?.origin ?? this.origin;
    text = text.split(this.target.origin).join(advertised);
    const headers: http.OutgoingHttpHeaders = { ...answer.headers };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    delete headers['connection'];
    if (typeof headers.location === 'string')
      headers.location = headers.location.split(this.target.origin).join(advertised);
    const out = Buffer.from(text, 'utf8');
    headers['content-length'] = String(out.length);
    entry.status = answer.status;
    res.writeHead(answer.status, headers);
    res.end(out);
  }

  private forward(method: string, url: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<Answer> {
    const h: http.OutgoingHttpHeaders = { ...headers, host: this.target.host };
    delete h['connection'];
    delete h['keep-alive'];
    h['content-length'] = String(body.length);
    return new Promise((resolve, reject) => {
      const r = http.request(
        { host: this.target.hostname, port: this.target.port, method, path: url, headers: h },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (c: Buffer) => chunks.push(c));
          answer.on('end', () =>
            resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }),
          );
          answer.on('error', reject);
        },
      );
      r.on('error', reject);
      r.end(body);
    });
  }
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true when the client closed the connection before we answered. */
function closed(res: http.ServerResponse): Promise<boolean> {
  return new Promise((resolve) => res.once('close', () => resolve(true)));
}
