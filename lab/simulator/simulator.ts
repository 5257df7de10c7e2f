// An OpenStack simulator for fault tests: the subset of Keystone v3 and Barbican v1 that the
// checks use, on 127.0.0.1 (port 0 unless told otherwise), with Barbican's policy behaviour as
// measured on the real lab (see lab/NOTES.md) and scriptable faults (./faults.ts).
//
// It is a test double, not an OpenStack: tokens are random strings, secrets live in memory, and
// payloads are stored as given. Credentials are random per instance so that canary tests can
// look for them in output.

import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { FaultPlan, appliesBeforeHandler, type FaultRule } from './faults';

export type SimPolicy = 'creator' | 'default';

export interface SimUser {
  id: string;
  name: string;
  password: string;
  projectId: string;
  roles: string[];
}

export interface SimAppCredential {
  id: string;
  name: string;
  secret: string;
  userId: string;
  projectId: string;
  roles: string[];
}

export interface TlsMaterial {
  key: string;
  cert: string;
}

export interface SimulatorOptions {
  /** creator: member == creator (SCS); default: Barbican's upstream legacy policy, member gets 403. */
  policy?: SimPolicy;
  /** Regions and whether each has a key-manager endpoint. */
  regions?: Array<{ id: string; keyManager: boolean }>;
  keyManagerInCatalog?: boolean;
  /** Catalog URL for key-manager instead of the simulator's own (e.g. ending in /v1, or a metadata address). */
  keyManagerUrl?: (barbicanUrl: string) => string;
  keyManagerInterfaces?: string[];
  /** List the key-manager service even when it has no endpoints (Keystone does so, e.g. for disabled ones). */
  keyManagerServiceWithoutEndpoints?: boolean;
  /** Where secret_refs and next/previous links point (Barbican's host_href); default the simulator's own URL. */
  hostHref?: (barbicanUrl: string) => string;
  /** Barbican's default_limit_paging: the page size of a list request without `limit` (default 10). */
  defaultPageSize?: number;
  tls?: { keystone?: TlsMaterial; barbican?: TlsMaterial };
  /** null: multiple stores not enabled (404), as a default Barbican. */
  secretStores?: null | Array<{
    name: string;
    cryptoPlugin: string;
    secretStorePlugin?: string;
    globalDefault: boolean;
  }>;
  quotas?: Record<string, number>;
  transportKeys?: number;
  /** Payload readable by anyone through ?target.secret.read=read (CVE-2022-3100). */
  cveVulnerable?: boolean;
  /** GETs of an order before it turns ACTIVE. */
  orderPendingPolls?: number;
  /** Orders end in ERROR instead of ACTIVE. */
  orderError?: boolean;
  /** Generated key length in bytes (a broken backend returns the wrong length). */
  orderKeyBytes?: number;
  ordersDeletableByMember?: boolean;
  /** The secret list never shows secrets (models a policy that allows create but hides the list). */
  listHidesSecrets?: boolean;
  /** Reader may create secrets (a broken policy). */
  readerCanWrite?: boolean;
  /** Payload read returns other bytes (a broken backend). */
  corruptPayloads?: boolean;
}

interface StoredSecret {
  uuid: string;
  name: string | null;
  projectId: string;
  payload: Buffer | null;
  contentType: string;
  secretType: string;
  created: string;
  creatorId: string;
}

interface StoredOrder {
  uuid: string;
  name: string | null;
  projectId: string;
  polls: number;
  secretUuid?: string;
  meta: Record<string, unknown>;
  created: string;
}

interface StoredContainer {
  uuid: string;
  name: string | null;
  projectId: string;
  secretRefs: Array<{ name: string | null; secret_ref: string }>;
  created: string;
}

interface TokenInfo {
  user: SimUser;
  projectId: string;
  roles: string[];
  methods: string[];
}

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string | unknown;
}

export interface RequestLogEntry {
  service: 'keystone' | 'barbican';
  method: string;
  path: string;
  status: number | 'hang' | 'truncated';
}

const rnd = (n = 12) => randomBytes(n).toString('hex');
const nowIso = () => new Date().toISOString().replace('Z', '');

export class OpenStackSimulator {
  readonly options: SimulatorOptions;
  readonly faults = new FaultPlan();
  readonly projects = { main: { id: rnd(16), name: 'sim-project' }, other: { id: rnd(16), name: 'sim-project2' } };
  readonly users: Record<'member' | 'reader' | 'admin' | 'manager' | 'other', SimUser>;
  readonly appCredential: SimAppCredential;
  readonly secrets = new Map<string, StoredSecret>();
  readonly orders = new Map<string, StoredOrder>();
  readonly containers = new Map<string, StoredContainer>();
  readonly log: RequestLogEntry[] = [];
  readonly issuedTokens: string[] = [];
  private readonly tokens = new Map<string, TokenInfo>();
  private servers: Array<http.Server | https.Server> = [];
  private readonly sockets = new Set<Socket>();
  keystoneUrl = '';
  barbicanUrl = '';

  constructor(options: SimulatorOptions = {}) {
    this.options = options;
    const mk = (name: string, projectId: string, roles: string[]): SimUser => ({
      id: rnd(16),
      name,
      password: `pw-${rnd(10)}`,
      projectId,
      roles,
    });
    const p = this.projects.main.id;
    this.users = {
      member: mk('sim-member', p, ['member', 'reader']),
      reader: mk('sim-reader', p, ['reader']),
      admin: mk('sim-admin', p, ['admin', 'member', 'reader']),
      manager: mk('sim-manager', p, ['manager', 'member', 'reader']),
      other: mk('sim-other', this.projects.other.id, ['member', 'reader']),
    };
    this.appCredential = {
      id: rnd(16),
      name: 'sim-member-appcred',
      secret: `ac-${rnd(20)}`,
      userId: this.users.member.id,
      projectId: p,
      roles: ['member', 'reader'],
    };
  }

  async start(ports: { keystone?: number; barbican?: number } = {}): Promise<this> {
    const ks = await this.listen('keystone', ports.keystone ?? 0, this.options.tls?.keystone);
    const bb = await this.listen('barbican', ports.barbican ?? 0, this.options.tls?.barbican);
    this.keystoneUrl = `${this.options.tls?.keystone ? 'https' : 'http'}://127.0.0.1:${ks}`;
    this.barbicanUrl = `${this.options.tls?.barbican ? 'https' : 'http'}://127.0.0.1:${bb}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.servers = [];
  }

  addFault(rule: FaultRule): this {
    this.faults.add(rule);
    return this;
  }

  /** Secrets still stored, in any project. */
  liveSecrets(): StoredSecret[] {
    return [...this.secrets.values()];
  }

  /** Every known credential value and token, for canary tests. */
  knownSecrets(): string[] {
    return [...Object.values(this.users).map((u) => u.password), this.appCredential.secret, ...this.issuedTokens];
  }

  private listen(service: 'keystone' | 'barbican', port: number, tls?: TlsMaterial): Promise<number> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(service, req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 500, title: 'Internal Server Error', description: String(err) }));
        }
      });
    };
    const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    // TLS handshakes that fail (an untrusted certificate) are the client's business, not ours.
    server.on('tlsClientError', () => undefined);
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  }

  private async handle(
    service: 'keystone' | 'barbican',
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = (req.method ?? 'GET').toUpperCase();
    const pathWithQuery = req.url ?? '/';
    const fault = this.faults.match(service, method, pathWithQuery);
    const entry: RequestLogEntry = { service, method, path: pathWithQuery, status: 0 };
    this.log.push(entry);

    if (fault && appliesBeforeHandler(fault)) {
      const a = fault.action;
      if (a.kind === 'latency') await delay(a.ms);
      else if (a.kind === 'hang') {
        entry.status = 'hang';
        return;
      } else if (a.kind === 'late') {
        entry.status = 'hang';
        const timer = setTimeout(() => {
          if (service === 'keystone') this.keystone(method, pathWithQuery, raw);
          else this.barbican(method, pathWithQuery, raw, req.headers);
        }, a.ms);
        timer.unref();
        return;
      } else if (a.kind === 'status') {
        entry.status = a.status;
        return this.send(res, {
          status: a.status,
          headers: { 'content-type': a.contentType ?? 'application/json' },
          body: a.body ?? errorBody(a.status),
        });
      } else if (a.kind === 'redirect') {
        entry.status = a.status ?? 302;
        return this.send(res, { status: a.status ?? 302, headers: { location: a.location }, body: '' });
      }
    }

    let reply: Reply;
    try {
      reply =
        service === 'keystone'
          ? this.keystone(method, pathWithQuery, raw)
          : this.barbican(method, pathWithQuery, raw, req.headers);
    } catch (err) {
      reply = { status: 400, body: errorBody(400, err instanceof Error ? err.message : String(err)) };
    }
    entry.status = reply.status;

    if (fault && !appliesBeforeHandler(fault)) {
      const a = fault.action;
      const body = toBuffer(reply.body);
      switch (a.kind) {
        case 'hang':
          entry.status = 'hang';
          return;
        case 'latency':
          await delay(a.ms);
          break;
        case 'status':
          entry.status = a.status;
          return this.send(res, {
            status: a.status,
            headers: { 'content-type': a.contentType ?? 'application/json' },
            body: a.body ?? errorBody(a.status),
          });
        case 'redirect':
          return this.send(res, { status: a.status ?? 302, headers: { location: a.location }, body: '' });
        case 'malformed-json':
          return this.send(res, {
            ...reply,
            headers: { ...reply.headers, 'content-type': 'application/json' },
            body: Buffer.concat([body.subarray(0, Math.floor(body.length / 2)), Buffer.from('{"oops": [')]),
          });
        case 'content-type':
          return this.send(res, { ...reply, headers: { ...reply.headers, 'content-type': a.contentType }, body });
        case 'truncated': {
          entry.status = 'truncated';
          const full = body.length >= 64 ? body : Buffer.concat([body, Buffer.alloc(64 - body.length, 0x20)]);
          res.writeHead(reply.status, {
            ...reply.headers,
            'content-type': 'application/json',
            'content-length': String(full.length),
          });
          res.write(full.subarray(0, Math.floor(full.length / 2)));
          setTimeout(() => res.socket?.destroy(), 20);
          return;
        }
        case 'oversized': {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (a.announce) headers['content-length'] = String(a.bytes);
          res.writeHead(reply.status, headers);
          const chunk = Buffer.alloc(64 * 1024, 0x61);
          let sent = 0;
          const pump = () => {
            while (sent < a.bytes) {
              const n = Math.min(chunk.length, a.bytes - sent);
              sent += n;
              if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('error', () => undefined);
          pump();
          return;
        }
      }
    }
    this.send(res, reply);
  }

  private send(res: http.ServerResponse, reply: Reply): void {
    const body = toBuffer(reply.body);
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    if (
      reply.body !== undefined &&
      !headers['content-type'] &&
      !Buffer.isBuffer(reply.body) &&
      typeof reply.body !== 'string'
    ) {
      headers['content-type'] = 'application/json';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(reply.status, headers);
    res.end(body);
  }

  // ------------------------------------------------------------------ Keystone

  private keystone(method: string, pathWithQuery: string, raw: string): Reply {
    const path = pathWithQuery.split('?')[0]!.replace(/\/+$/, '') || '/';
    const versionDoc = {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${this.keystoneUrl}/v3/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    };
    if (method === 'GET' && path === '/') return { status: 300, body: { versions: { values: [versionDoc] } } };
    if (method === 'GET' && path === '/v3') return { status: 200, body: { version: versionDoc } };
    if (method === 'POST' && path === '/v3/auth/tokens') return this.issueToken(raw);
    return { status: 404, body: errorBody(404) };
  }

  private issueToken(raw: string): Reply {
    const unauthorized: Reply = {
      status: 401,
      body: {
        error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
      },
    };
    const body = JSON.parse(raw) as {
      auth?: { identity?: Record<string, unknown>; scope?: { project?: { id?: string; name?: string } } };
    };
    const identity = body.auth?.identity ?? {};
    const methods = (identity.methods as string[]) ?? [];
    let user: SimUser | undefined;
    let projectId: string | undefined;
    let roles: string[] = [];
    if (methods.includes('password')) {
      const u = ((identity.password as Record<string, unknown>)?.user ?? {}) as {
        id?: string;
        name?: string;
        password?: string;
      };
      user = Object.values(this.users).find((x) => (u.id ? x.id === u.id : x.name === u.name));
      if (!user || user.password !== u.password) return unauthorized;
      const scope = body.auth?.scope?.project;
      if (!scope) return unauthorized;
      const project = Object.values(this.projects).find((p) => (scope.id ? p.id === scope.id : p.name === scope.name));
      if (!project || project.id !== user.projectId) return unauthorized;
      projectId = project.id;
      roles = user.roles;
    } else if (methods.includes('application_credential')) {
      const ac = (identity.application_credential ?? {}) as { id?: string; name?: string; secret?: string };
      const cred = this.appCredential;
      if (!(ac.id ? ac.id === cred.id : ac.name === cred.name) || ac.secret !== cred.secret) return unauthorized;
      user = Object.values(this.users).find((x) => x.id === cred.userId);
      projectId = cred.projectId;
      roles = cred.roles;
    } else {
      return unauthorized;
    }
    const token = `sim${rnd(24)}`;
    this.issuedTokens.push(token);
    this.tokens.set(token, { user: user!, projectId: projectId!, roles, methods });
    const project = Object.values(this.projects).find((p) => p.id === projectId)!;
    return {
      status: 201,
      headers: { 'x-subject-token': token, 'content-type': 'application/json' },
      body: {
        token: {
          methods,
          user: { id: user!.id, name: user!.name, domain: { id: 'default', name: 'Default' } },
          project: { id: project.id, name: project.name, domain: { id: 'default', name: 'Default' } },
          roles: roles.map((name) => ({ id: `role-${name}`, name })),
          catalog: this.catalog(),
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          issued_at: new Date().toISOString(),
        },
      },
    };
  }

  private catalog(): unknown[] {
    const regions = this.options.regions ?? [
      { id: 'RegionOne', keyManager: true },
      { id: 'RegionNoKM', keyManager: false },
    ];
    const catalog: unknown[] = [
      {
        id: 'svc-identity',
        type: 'identity',
        name: 'keystone',
        endpoints: regions.map((r) => ({
          id: rnd(8),
          interface: 'public',
          region_id: r.id,
          region: r.id,
          url: `${this.keystoneUrl}/v3`,
        })),
      },
    ];
    if (this.options.keyManagerInCatalog !== false) {
      const url = this.options.keyManagerUrl ? this.options.keyManagerUrl(this.barbicanUrl) : this.barbicanUrl;
      const interfaces = this.options.keyManagerInterfaces ?? ['public', 'internal'];
      const endpoints = regions
        .filter((r) => r.keyManager)
        .flatMap((r) => interfaces.map((i) => ({ id: rnd(8), interface: i, region_id: r.id, region: r.id, url })));
      if (endpoints.length > 0 || this.options.keyManagerServiceWithoutEndpoints)
        catalog.push({ id: 'svc-km', type: 'key-manager', name: 'barbican', endpoints });
    }
    return catalog;
  }

  // ------------------------------------------------------------------ Barbican

  private href(kind: string, uuid: string): string {
    return `${this.hrefBase()}/v1/${kind}/${uuid}`;
  }

  private hrefBase(): string {
    return this.options.hostHref ? this.options.hostHref(this.barbicanUrl) : this.barbicanUrl;
  }

  /** One page of a list as Barbican builds it (offset/limit, total, next/previous links from host_href). */
  private page<T>(kind: string, all: T[], url: URL, toJson: (item: T) => unknown): Record<string, unknown> {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? this.options.defaultPageSize ?? 10), 100);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const link = (o: number) => {
      const q = new URLSearchParams(url.searchParams);
      q.set('limit', String(limit));
      q.set('offset', String(o));
      return `${this.hrefBase()}/v1/${kind}?${q.toString()}`;
    };
    const body: Record<string, unknown> = {
      [kind]: all.slice(offset, offset + limit).map(toJson),
      total: all.length,
    };
    if (offset > 0) body.previous = link(Math.max(0, offset - limit));
    if (all.length > offset + limit) body.next = link(offset + limit);
    return body;
  }

  private barbican(method: string, pathWithQuery: string, raw: string, headers: http.IncomingHttpHeaders): Reply {
    const url = new URL(pathWithQuery, 'http://sim');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const v1Doc = {
      id: 'v1',
      status: 'stable',
      links: [{ rel: 'self', href: `${this.barbicanUrl}/v1/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.key-manager-v1+json' }],
    };
    if (method === 'GET' && path === '/') return { status: 300, body: { versions: { values: [v1Doc] } } };

    const tokenValue = headers['x-auth-token'];
    const token = typeof tokenValue === 'string' ? this.tokens.get(tokenValue) : undefined;
    if (!token) return { status: 401, body: errorBody(401) };
    if (method === 'GET' && path === '/v1') return { status: 200, body: { version: v1Doc } };

    const roles = new Set(token.roles);
    const isAdmin = roles.has('admin');
    const creator =
      isAdmin ||
      (this.options.policy !== 'default' && roles.has('member')) ||
      (this.options.readerCanWrite === true && roles.has('reader'));
    const forbidden = (what: string): Reply => ({
      status: 403,
      body: errorBody(403, `${what} attempt not allowed - please review your user/project privileges`),
    });
    const json = () => (raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
    const m = /^\/v1\/(secrets|orders|containers)(?:\/([^/]+))?(?:\/(payload|acl))?$/.exec(path);

    if (path === '/v1/secret-stores' || path === '/v1/secret-stores/global-default') {
      if (!creator) return forbidden('Secret store retrieval');
      const stores = this.options.secretStores;
      if (!stores)
        return {
          status: 404,
          body: errorBody(404, 'Not Found. Multiple backends support is not enabled in service configuration.'),
        };
      const shaped = stores.map((s) => ({
        name: s.name,
        crypto_plugin: s.cryptoPlugin,
        secret_store_plugin: s.secretStorePlugin ?? 'store_crypto',
        global_default: s.globalDefault,
        status: 'ACTIVE',
        secret_store_ref: `${this.barbicanUrl}/v1/secret-stores/${rnd(8)}`,
      }));
      if (path.endsWith('global-default')) {
        const d = shaped.find((s) => s.global_default);
        return d ? { status: 200, body: d } : { status: 404, body: errorBody(404) };
      }
      return { status: 200, body: { secret_stores: shaped } };
    }
    if (path === '/v1/quotas' && method === 'GET') {
      if (!creator) return forbidden('Quota retrieval');
      return {
        status: 200,
        body: { quotas: { secrets: -1, orders: -1, containers: -1, consumers: -1, cas: -1, ...this.options.quotas } },
      };
    }
    if (path === '/v1/transport_keys' && method === 'GET') {
      const n = this.options.transportKeys ?? 0;
      const keys = Array.from({ length: n }, () => ({
        plugin_name: 'kmip',
        transport_key_ref: `${this.barbicanUrl}/v1/transport_keys/${randomUUID()}`,
      }));
      return { status: 200, body: { transport_keys: keys, total: n } };
    }
    if (!m) return { status: 404, body: errorBody(404) };
    const [, kind, id, sub] = m;

    if (kind === 'secrets') {
      if (!id) {
        if (method === 'POST') {
          if (!creator) return forbidden('Secret creation');
          const b = json();
          const encoding = b.payload_content_encoding;
          const payload =
            typeof b.payload === 'string' ? Buffer.from(b.payload, encoding === 'base64' ? 'base64' : 'utf8') : null;
          const uuid = randomUUID();
          this.secrets.set(uuid, {
            uuid,
            name: typeof b.name === 'string' ? b.name : null,
            projectId: token.projectId,
            payload,
            contentType: typeof b.payload_content_type === 'string' ? b.payload_content_type : 'text/plain',
            secretType: typeof b.secret_type === 'string' ? b.secret_type : 'opaque',
            created: nowIso(),
            creatorId: token.user.id,
          });
          return { status: 201, body: { secret_ref: this.href('secrets', uuid) } };
        }
        if (method === 'GET') {
          if (!creator) return forbidden('Secret(s) retrieval');
          const name = url.searchParams.get('name');
          const all = this.options.listHidesSecrets
            ? []
            : [...this.secrets.values()].filter((s) => s.projectId === token.projectId && like(s.name, name));
          return { status: 200, body: this.page('secrets', all, url, (s) => this.secretJson(s)) };
        }
        return { status: 405, body: errorBody(405) };
      }
      const secret = this.secrets.get(id);
      if (!secret) return { status: 404, body: errorBody(404, 'Secret not found.') };
      const sameProject = secret.projectId === token.projectId;
      if (sub === 'payload' && method === 'GET') {
        const bypass = this.options.cveVulnerable && url.searchParams.get('target.secret.read') === 'read';
        if (!bypass && (!sameProject || !creator)) return forbidden('Secret payload retrieval');
        let payload = secret.payload ?? Buffer.alloc(0);
        if (this.options.corruptPayloads) payload = Buffer.concat([payload, Buffer.from('x')]);
        return { status: 200, headers: { 'content-type': secret.contentType }, body: payload };
      }
      if (sub === 'acl') {
        if (!sameProject || !creator) return forbidden('Secret ACL');
        return { status: 200, body: { read: { 'project-access': true } } };
      }
      if (!sameProject || !creator) return forbidden('Secret retrieval');
      if (method === 'GET') return { status: 200, body: this.secretJson(secret) };
      if (method === 'DELETE') {
        this.secrets.delete(id);
        return { status: 204 };
      }
      return { status: 405, body: errorBody(405) };
    }

    if (kind === 'orders') {
      if (!id) {
        if (method === 'POST') {
          if (!creator) return forbidden('Order creation');
          const b = json();
          const meta = (b.meta ?? {}) as Record<string, unknown>;
          const uuid = randomUUID();
          this.orders.set(uuid, {
            uuid,
            name: typeof meta.name === 'string' ? meta.name : null,
            projectId: token.projectId,
            polls: 0,
            meta,
            created: nowIso(),
          });
          return { status: 202, body: { order_ref: this.href('orders', uuid) } };
        }
        if (method === 'GET') {
          if (!creator) return forbidden('Order(s) retrieval');
          const all = [...this.orders.values()].filter((o) => o.projectId === token.projectId);
          return { status: 200, body: this.page('orders', all, url, (o) => this.orderJson(o, token)) };
        }
        return { status: 405, body: errorBody(405) };
      }
      const order = this.orders.get(id);
      if (!order || order.projectId !== token.projectId)
        return { status: 404, body: errorBody(404, 'Order not found.') };
      if (method === 'GET') {
        if (!creator) return forbidden('Order retrieval');
        order.polls++;
        return { status: 200, body: this.orderJson(order, token) };
      }
      if (method === 'DELETE') {
        if (!isAdmin && !this.options.ordersDeletableByMember) return forbidden('Order deletion');
        this.orders.delete(id);
        return { status: 204 };
      }
      return { status: 405, body: errorBody(405) };
    }

    // containers
    if (!id) {
      if (method === 'POST') {
        if (!creator) return forbidden('Container creation');
        const b = json();
        const uuid = randomUUID();
        const refs = Array.isArray(b.secret_refs)
          ? (b.secret_refs as Array<{ name?: string; secret_ref?: string }>)
          : [];
        this.containers.set(uuid, {
          uuid,
          name: typeof b.name === 'string' ? b.name : null,
          projectId: token.projectId,
          secretRefs: refs.map((r) => ({ name: r.name ?? null, secret_ref: String(r.secret_ref) })),
          created: nowIso(),
        });
        return { status: 201, body: { container_ref: this.href('containers', uuid) } };
      }
      if (method === 'GET') {
        if (!creator) return forbidden('Containers(s) retrieval');
        const name = url.searchParams.get('name');
        const all = [...this.containers.values()].filter((c) => c.projectId === token.projectId && like(c.name, name));
        return { status: 200, body: this.page('containers', all, url, (c) => this.containerJson(c)) };
      }
      return { status: 405, body: errorBody(405) };
    }
    const container = this.containers.get(id);
    if (!container || container.projectId !== token.projectId)
      return { status: 404, body: errorBody(404, 'Container not found.') };
    if (!creator) return forbidden('Container retrieval');
    if (method === 'GET') return { status: 200, body: this.containerJson(container) };
    if (method === 'DELETE') {
      this.containers.delete(id);
      return { status: 204 };
    }
    return { status: 405, body: errorBody(405) };
  }

  private secretJson(s: StoredSecret): Record<string, unknown> {
    return {
      created: s.created,
      updated: s.created,
      status: 'ACTIVE',
      name: s.name,
      secret_type: s.secretType,
      expiration: null,
      algorithm: null,
      bit_length: null,
      mode: null,
      creator_id: s.creatorId,
      content_types: { default: s.contentType },
      secret_ref: this.href('secrets', s.uuid),
    };
  }

  private orderJson(o: StoredOrder, token: TokenInfo): Record<string, unknown> {
    const pendingPolls = this.options.orderPendingPolls ?? 0;
    const pending = pendingPolls > 0 && o.polls <= pendingPolls;
    const status = pending ? 'PENDING' : this.options.orderError ? 'ERROR' : 'ACTIVE';
    if (status === 'ACTIVE' && !o.secretUuid) {
      const uuid = randomUUID();
      this.secrets.set(uuid, {
        uuid,
        name: o.name,
        projectId: o.projectId,
        payload: randomBytes(this.options.orderKeyBytes ?? Number(o.meta.bit_length ?? 256) / 8),
        contentType: 'application/octet-stream',
        secretType: 'symmetric',
        created: nowIso(),
        creatorId: token.user.id,
      });
      o.secretUuid = uuid;
    }
    return {
      created: o.created,
      status,
      type: 'key',
      meta: o.meta,
      order_ref: this.href('orders', o.uuid),
      ...(o.secretUuid ? { secret_ref: this.href('secrets', o.secretUuid) } : {}),
      ...(status === 'ERROR' ? { error_status_code: 500, error_reason: 'simulated backend failure' } : {}),
    };
  }

  private containerJson(c: StoredContainer): Record<string, unknown> {
    return {
      container_ref: this.href('containers', c.uuid),
      name: c.name,
      type: 'generic',
      status: 'ACTIVE',
      secret_refs: c.secretRefs,
      created: c.created,
    };
  }
}

function errorBody(status: number, description?: string): Record<string, unknown> {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return { code: status, title: titles[status] ?? 'Error', description: description ?? titles[status] ?? 'Error' };
}

function toBuffer(body: Reply['body']): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Barbican's name filter: an SQL LIKE, which SQLite and MySQL (Barbican's usual databases) compare
 * case-insensitively, with `%` and `_` as wildcards.
 */
function like(value: string | null, pattern: string | null): boolean {
  if (pattern === null) return true;
  if (value === null) return false;
  const re = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${re}$`, 'is').test(value);
}
