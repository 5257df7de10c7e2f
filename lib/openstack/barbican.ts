// Barbican (key-manager API v1): secrets, orders, containers, ACLs, secret stores, quotas,
// transport keys and version discovery.
//
// Objects are always addressed by the UUID parsed from the ref Barbican returns, joined to the
// endpoint from the catalog, never by following the returned href: Barbican builds hrefs from
// its host_href setting, which may name another host (or be wrong), and a token must only ever
// travel to the endpoint the catalog gave us. This is also how the official testcase deletes.
// Lists are read page by page through Barbican's `next` links, as openstacksdk reads them; a
// `next` link to another host ends the list with a ForeignLinkError instead of being followed.

import { ForeignLinkError, HttpStatusError, ProtocolError, TransportError, describeError } from './errors';
import type { HttpClient, HttpResponse } from './http';
import { parseVersions, type ApiVersion, type KeystoneSession } from './keystone';
import { joinUrl, readJson, statusError } from './service';

const SERVICE = 'key-manager';
const PAGE_SIZE = 100;
/** A list longer than this many pages is refused rather than read forever (or cut short silently). */
const MAX_PAGES = 1000;

export type BarbicanObjectKind = 'secrets' | 'orders' | 'containers';

export interface KeyManagerEndpoint {
  /** The URL as the catalog lists it. */
  catalogUrl: string;
  /** Versionless root (version discovery lives here). */
  root: string;
  /** Base for v1 API calls. */
  v1: string;
  /** The version suffix the catalog URL carried (e.g. "v1"), or null for a versionless URL. */
  catalogVersionSuffix: string | null;
}

export function keyManagerEndpoint(catalogUrl: string): KeyManagerEndpoint {
  const trimmed = catalogUrl.replace(/\/+$/, '');
  const m = /^(.*)\/(v1(?:\.\d+)?)$/i.exec(trimmed);
  const root = m ? m[1]! : trimmed;
  return { catalogUrl, root, v1: `${root}/v1`, catalogVersionSuffix: m ? m[2]! : null };
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The UUID at the end of a secret_ref / order_ref / container_ref. */
export function uuidFromRef(ref: unknown, kind: BarbicanObjectKind): string {
  if (typeof ref !== 'string') throw new ProtocolError(SERVICE, `Barbican returned no ${kind} reference.`, '');
  const m = new RegExp(`/${kind}/([^/?#]+)/?(?:[?#].*)?$`).exec(ref);
  const uuid = m?.[1];
  if (!uuid || !UUID_RE.test(uuid)) {
    throw new ProtocolError(SERVICE, `Barbican returned a ${kind} reference without a UUID: ${ref.slice(0, 200)}.`, '');
  }
  return uuid.toLowerCase();
}

export interface SecretSpec {
  name: string;
  payload?: string;
  payloadContentType?: string;
  payloadContentEncoding?: 'base64';
  secretType?: 'opaque' | 'symmetric' | 'passphrase' | 'private' | 'public' | 'certificate';
  algorithm?: string;
  bitLength?: number;
  mode?: string;
  expiration?: string;
}

export interface SecretMeta {
  ref: string;
  uuid: string;
  name: string | null;
  status?: string;
  secretType?: string;
  created?: string;
  contentTypes?: Record<string, string>;
  algorithm?: string | null;
  bitLength?: number | null;
}

export interface OrderMeta {
  ref: string;
  uuid: string;
  type?: string;
  status?: string;
  name: string | null;
  secretRef?: string;
  errorStatusCode?: string;
  errorReason?: string;
  created?: string;
}

export interface ContainerMeta {
  ref: string;
  uuid: string;
  name: string | null;
  type?: string;
  status?: string;
  secretRefs: Array<{ name: string | null; ref: string }>;
  created?: string;
}

export interface SecretStoresInfo {
  /** False when Barbican answers 404 "multiple backends support is not enabled". */
  enabled: boolean;
  stores: Array<{
    name: string;
    secretStorePlugin?: string;
    cryptoPlugin?: string;
    globalDefault: boolean;
    status?: string;
  }>;
}

export interface CallOptions {
  json?: unknown;
  query?: Record<string, string | number | undefined>;
  accept?: string;
  /** Statuses that count as success; anything else throws HttpStatusError. Omit to accept any status. */
  expect?: number[];
  secretResponse?: boolean;
  /** Version discovery needs no token. */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** Use another persona's session for this call (reader, other project). */
  session?: KeystoneSession;
}

export class BarbicanClient {
  constructor(
    private readonly http: HttpClient,
    private readonly session: KeystoneSession,
    readonly endpoint: KeyManagerEndpoint,
    /** Sent as `OpenStack-API-Version: key-manager X.Y` when set. */
    readonly microversion?: string,
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * A client for the same endpoint acting with another credential; with a second argument, also
   * with another cancel signal (`undefined`: none, for clean-ups that must happen after a cancel).
   */
  withSession(session: KeystoneSession, ...signal: [AbortSignal | undefined] | []): BarbicanClient {
    // Not a default parameter: an explicit `undefined` must mean "no signal", not "the same one".
    return new BarbicanClient(
      this.http,
      session,
      this.endpoint,
      this.microversion,
      signal.length ? signal[0] : this.signal,
    );
  }

  /** A client for the same credential whose v1 calls go to `v1Url` (the service URL version discovery gave). */
  atServiceUrl(v1Url: string): BarbicanClient {
    const endpoint = { ...this.endpoint, v1: v1Url.replace(/\/+$/, '') };
    return new BarbicanClient(this.http, this.session, endpoint, this.microversion, this.signal);
  }

  /** One API call, with a single re-authentication when Barbican says 401 (expired/revoked token). */
  async call(method: string, path: string, options: CallOptions = {}): Promise<HttpResponse> {
    const session = options.session ?? this.session;
    const base = path.startsWith('http')
      ? path
      : path.startsWith('v1/')
        ? joinUrl(this.endpoint.v1, path.slice(3))
        : joinUrl(this.endpoint.root, path);
    const url = withQuery(base, options.query);
    const signal = options.signal ?? this.signal;
    const send = () =>
      this.http.request({
        service: SERVICE,
        method,
        url,
        json: options.json,
        signal,
        secretResponse: options.secretResponse,
        headers: {
          accept: options.accept ?? 'application/json',
          ...(options.anonymous ? {} : session.authHeaders()),
          ...(this.microversion ? { 'openstack-api-version': `key-manager ${this.microversion}` } : {}),
        },
      });
    let res = await send();
    if (res.status === 401 && !options.anonymous) {
      await session.reauthenticate(signal);
      res = await send();
    }
    if (options.expect && !options.expect.includes(res.status))
      throw statusError(SERVICE, method, res, this.http.redactor);
    return res;
  }

  private json<T = Record<string, unknown>>(res: HttpResponse): T {
    return readJson<T>(res, SERVICE, this.http.redactor);
  }

  // ---------------------------------------------------------------- versions

  /** GET the versionless root (Barbican answers 300 Multiple Choices) without a token. */
  async versions(): Promise<{ status: number; versions: ApiVersion[] }> {
    const res = await this.call('GET', this.endpoint.root + '/', { anonymous: true, expect: [200, 300] });
    return { status: res.status, versions: parseVersions(this.json(res)) };
  }

  /**
   * Version discovery as openstacksdk's transport (keystoneauth) does it for the key-manager, which
   * openstacksdk asks for version 1: a catalog URL that ends in a v1 segment is used as it is;
   * otherwise the document at the catalog URL (fetched without a token, once more with one after a
   * 401) must list a v1 whose status is stable, current, supported or deprecated, and that
   * version's self link gives the service URL (keystoneauth keeps the catalog's scheme and host
   * when the link names another). When this fails, openstacksdk refuses the service ("exists but
   * does not have any supported versions"): such a key manager is unusable for standard clients.
   */
  async standardDiscovery(): Promise<StandardDiscovery> {
    const catalogUrl = this.endpoint.catalogUrl.replace(/\/+$/, '');
    const last = new URL(catalogUrl).pathname.split('/').pop() ?? '';
    const catalogVersion = versionNumber(last);
    if (catalogVersion?.[0] === 1) return { usable: true, serviceUrl: catalogUrl, via: 'catalog-url' };
    const url = catalogVersion ? catalogUrl.slice(0, -last.length - 1) : catalogUrl;
    const failed = (why: string): StandardDiscovery => ({
      usable: false,
      url,
      reason: `version discovery at ${this.http.redactor.text(url)} ${why}`,
    });
    let res: HttpResponse;
    try {
      res = await this.call('GET', url, { anonymous: true });
      if (res.status === 401) res = await this.call('GET', url);
    } catch (err) {
      if (err instanceof TransportError || err instanceof HttpStatusError)
        return failed(`failed: ${describeError(err)}`);
      throw err;
    }
    if (res.status >= 400) return failed(`answered HTTP ${res.status}`);
    let doc: unknown;
    try {
      doc = JSON.parse(res.text());
    } catch {
      return failed(`answered ${res.body.length} bytes that are not JSON (HTTP ${res.status})`);
    }
    const entries = versionEntries(doc);
    if (!entries) return failed(`answered JSON without version data (HTTP ${res.status})`);
    const usable = entries
      .map((v) => ({ v, number: versionNumber(v.id) }))
      .filter((e) => e.number?.[0] === 1 && USABLE_STATUSES.has(e.v.status) && e.v.self);
    const best = usable.sort((a, b) => b.number![1] - a.number![1])[0];
    if (!best) {
      const listed = entries.map((v) => `${v.id ?? '?'} (${v.status || 'no status'}${v.self ? '' : ', no self link'})`);
      return failed(
        `lists no usable version 1 (${listed.length ? `listed: ${listed.join(', ')}` : 'no versions listed'}; openstacksdk accepts a v1 that is stable, current, supported or deprecated and has a self link)`,
      );
    }
    return { usable: true, serviceUrl: combineVersionUrl(url, best.v.self!), via: 'document' };
  }

  // ---------------------------------------------------------------- secrets

  async createSecret(spec: SecretSpec): Promise<{ ref: string; uuid: string }> {
    const body: Record<string, unknown> = { name: spec.name, secret_type: spec.secretType ?? 'opaque' };
    if (spec.payload !== undefined) {
      this.http.redactor.addSecret(spec.payload);
      if (spec.payloadContentEncoding === 'base64')
        this.http.redactor.addSecretBytes(Buffer.from(spec.payload, 'base64'));
      body.payload = spec.payload;
      body.payload_content_type = spec.payloadContentType ?? 'text/plain';
      if (spec.payloadContentEncoding) body.payload_content_encoding = spec.payloadContentEncoding;
    }
    if (spec.algorithm) body.algorithm = spec.algorithm;
    if (spec.bitLength) body.bit_length = spec.bitLength;
    if (spec.mode) body.mode = spec.mode;
    if (spec.expiration) body.expiration = spec.expiration;
    const res = await this.call('POST', 'v1/secrets', { json: body, expect: [201] });
    const ref = this.json<{ secret_ref?: unknown }>(res).secret_ref;
    return { ref: String(ref), uuid: uuidFromRef(ref, 'secrets') };
  }

  /**
   * One page of secrets. Barbican's `name` filter is an SQL LIKE: case-insensitive on SQLite and
   * MySQL, with `_` and `%` as wildcards; callers that need one exact name compare it themselves.
   */
  async listSecrets(
    filter: { name?: string; limit?: number; offset?: number } = {},
  ): Promise<{ secrets: SecretMeta[]; total: number }> {
    const res = await this.call('GET', 'v1/secrets', {
      query: { name: filter.name, limit: filter.limit ?? PAGE_SIZE, offset: filter.offset ?? 0 },
      expect: [200],
    });
    const body = this.json<{ secrets?: unknown; total?: unknown }>(res);
    if (!Array.isArray(body.secrets)) throw this.shapeError(res, 'a "secrets" list');
    return {
      secrets: body.secrets.map((s) => secretMeta(s)),
      total: typeof body.total === 'number' ? body.total : body.secrets.length,
    };
  }

  /**
   * Every secret (all pages), optionally through Barbican's name filter (not exact, see
   * listSecrets). `limit: null` sends no page size, so Barbican pages by its own default
   * (default_limit_paging, 10), exactly as openstacksdk's secrets() does.
   */
  async listAllSecrets(filter: { name?: string; limit?: number | null } = {}): Promise<SecretMeta[]> {
    return this.listAll('secrets', { name: filter.name, limit: pageSize(filter.limit) }, secretMeta);
  }

  async getSecret(uuid: string): Promise<SecretMeta> {
    const res = await this.call('GET', `v1/secrets/${uuid}`, { expect: [200] });
    return secretMeta(this.json(res));
  }

  /** The decrypted payload. Its bytes are registered with the redactor before anyone sees them. */
  async getPayload(uuid: string, accept = 'application/octet-stream'): Promise<Buffer> {
    const res = await this.call('GET', `v1/secrets/${uuid}/payload`, { accept, expect: [200], secretResponse: true });
    this.http.redactor.addSecretBytes(res.body);
    return res.body;
  }

  async deleteSecret(uuid: string): Promise<void> {
    await this.call('DELETE', `v1/secrets/${uuid}`, { expect: [204] });
  }

  async getSecretAcl(uuid: string): Promise<Record<string, unknown>> {
    return this.json(await this.call('GET', `v1/secrets/${uuid}/acl`, { expect: [200] }));
  }

  async setSecretAcl(uuid: string, acl: { read: { users?: string[]; 'project-access'?: boolean } }): Promise<void> {
    await this.call('PUT', `v1/secrets/${uuid}/acl`, { json: acl, expect: [200, 201] });
  }

  // ---------------------------------------------------------------- orders

  async createKeyOrder(meta: {
    name: string;
    algorithm: string;
    bitLength: number;
    mode: string;
  }): Promise<{ ref: string; uuid: string }> {
    const res = await this.call('POST', 'v1/orders', {
      json: {
        type: 'key',
        meta: {
          name: meta.name,
          algorithm: meta.algorithm,
          bit_length: meta.bitLength,
          mode: meta.mode,
          payload_content_type: 'application/octet-stream',
        },
      },
      expect: [202, 201],
    });
    const ref = this.json<{ order_ref?: unknown }>(res).order_ref;
    return { ref: String(ref), uuid: uuidFromRef(ref, 'orders') };
  }

  async getOrder(uuid: string): Promise<OrderMeta> {
    return orderMeta(this.json(await this.call('GET', `v1/orders/${uuid}`, { expect: [200] })));
  }

  async listAllOrders(): Promise<OrderMeta[]> {
    return this.listAll('orders', { limit: PAGE_SIZE }, orderMeta);
  }

  async deleteOrder(uuid: string): Promise<void> {
    await this.call('DELETE', `v1/orders/${uuid}`, { expect: [204] });
  }

  // ---------------------------------------------------------------- containers

  async createContainer(spec: {
    name: string;
    secrets: Array<{ name: string; uuid: string }>;
  }): Promise<{ ref: string; uuid: string }> {
    const res = await this.call('POST', 'v1/containers', {
      json: {
        type: 'generic',
        name: spec.name,
        secret_refs: spec.secrets.map((s) => ({ name: s.name, secret_ref: `${this.endpoint.v1}/secrets/${s.uuid}` })),
      },
      expect: [201],
    });
    const ref = this.json<{ container_ref?: unknown }>(res).container_ref;
    return { ref: String(ref), uuid: uuidFromRef(ref, 'containers') };
  }

  async getContainer(uuid: string): Promise<ContainerMeta> {
    return containerMeta(this.json(await this.call('GET', `v1/containers/${uuid}`, { expect: [200] })));
  }

  /** Every container (all pages), optionally through Barbican's (LIKE) name filter. */
  async listAllContainers(filter: { name?: string } = {}): Promise<ContainerMeta[]> {
    return this.listAll('containers', { name: filter.name, limit: PAGE_SIZE }, containerMeta);
  }

  async deleteContainer(uuid: string): Promise<void> {
    await this.call('DELETE', `v1/containers/${uuid}`, { expect: [204] });
  }

  // ---------------------------------------------------------------- stores, quotas, transport keys

  async secretStores(): Promise<SecretStoresInfo> {
    const res = await this.call('GET', 'v1/secret-stores');
    if (res.status === 404) return { enabled: false, stores: [] };
    if (res.status !== 200) throw statusError(SERVICE, 'GET', res, this.http.redactor);
    const body = this.json<{ secret_stores?: unknown }>(res);
    if (!Array.isArray(body.secret_stores)) throw this.shapeError(res, 'a "secret_stores" list');
    return { enabled: true, stores: body.secret_stores.map((s) => storeMeta(s)) };
  }

  /** The global default store, or null when multiple-store support is not enabled (404). */
  async globalDefaultStore(): Promise<SecretStoresInfo['stores'][number] | null> {
    const res = await this.call('GET', 'v1/secret-stores/global-default');
    if (res.status === 404) return null;
    if (res.status !== 200) throw statusError(SERVICE, 'GET', res, this.http.redactor);
    return storeMeta(this.json(res));
  }

  /** Effective quotas of the token's project; -1 means unlimited. */
  async quotas(): Promise<Record<string, number>> {
    const body = this.json<{ quotas?: Record<string, unknown> }>(
      await this.call('GET', 'v1/quotas', { expect: [200] }),
    );
    if (!body.quotas || typeof body.quotas !== 'object')
      throw new ProtocolError(SERVICE, 'Barbican quota response has no "quotas" object.', '');
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(body.quotas)) if (typeof v === 'number') out[k] = v;
    return out;
  }

  async transportKeys(): Promise<Array<{ ref: string; pluginName?: string }>> {
    const body = this.json<{ transport_keys?: unknown }>(
      await this.call('GET', 'v1/transport_keys', { expect: [200] }),
    );
    if (!Array.isArray(body.transport_keys))
      throw new ProtocolError(SERVICE, 'Barbican transport key response has no "transport_keys" list.', '');
    return body.transport_keys.map((k) => {
      const r = (k ?? {}) as Record<string, unknown>;
      return {
        ref: String(r.transport_key_ref ?? ''),
        pluginName: typeof r.plugin_name === 'string' ? r.plugin_name : undefined,
      };
    });
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A whole list, page by page, as openstacksdk's Resource.list reads it: the first page at the
   * collection URL, then wherever the page's `next` link points, until a page is empty or has no
   * `next`. A `next` link to another origin than the catalog's is not followed (a token never
   * travels to a host the catalog does not name): ForeignLinkError.
   */
  private async listAll<T>(
    kind: BarbicanObjectKind,
    query: CallOptions['query'],
    parse: (raw: unknown) => T,
  ): Promise<T[]> {
    const all: T[] = [];
    const origin = new URL(this.endpoint.v1).origin;
    let url = withQuery(joinUrl(this.endpoint.v1, kind), query);
    for (let page = 1; ; page++) {
      const res = await this.call('GET', url, { expect: [200] });
      const body = this.json<Record<string, unknown>>(res);
      const items = body[kind];
      if (!Array.isArray(items)) throw this.shapeError(res, `a "${kind}" list`);
      all.push(...items.map(parse));
      const next = body.next;
      if (items.length === 0 || typeof next !== 'string' || next === '') return all;
      const target = new URL(next, url);
      if (target.origin !== origin) {
        throw new ForeignLinkError(
          SERVICE,
          this.http.redactor.text(url),
          this.http.redactor.text(target.origin),
          this.http.redactor.text(origin),
        );
      }
      if (page >= MAX_PAGES) {
        throw new ProtocolError(
          SERVICE,
          `Barbican's ${kind} list still had a next page after ${MAX_PAGES} pages; refusing to read further.`,
          this.http.redactor.text(url),
        );
      }
      url = target.toString();
    }
  }

  private shapeError(res: HttpResponse, what: string): ProtocolError {
    const url = this.http.redactor.text(res.url);
    return new ProtocolError(SERVICE, `Barbican's answer to ${url} has no ${what}.`, url);
  }
}

export type StandardDiscovery =
  | { usable: true; serviceUrl: string; via: 'catalog-url' | 'document' }
  | { usable: false; url: string; reason: string };

const USABLE_STATUSES = new Set(['stable', 'current', 'supported', 'deprecated']);

/** keystoneauth's normalize_version_number for the forms discovery meets: "v1", "1", "v1.2", "1.0". */
function versionNumber(id: unknown): [number, number] | null {
  if (typeof id !== 'string') return null;
  const m = /^v?(\d+)(?:\.(\d+))?$/i.exec(id.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : null;
}

interface VersionEntry {
  id: string | undefined;
  status: string;
  self: string | undefined;
}

/** The version list of a discovery document, where keystoneauth's get_version_data looks for it. */
function versionEntries(doc: unknown): VersionEntry[] | null {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const d = doc as Record<string, unknown>;
  const versions = d.versions as { values?: unknown } | unknown[] | undefined;
  let raw: unknown[] | null = null;
  if (versions && typeof versions === 'object' && !Array.isArray(versions) && Array.isArray(versions.values))
    raw = versions.values;
  else if (Array.isArray(versions)) raw = versions;
  else if (d.version && typeof d.version === 'object') raw = [d.version];
  else if ('id' in d) raw = [{ ...d, status: 'current' }];
  if (!raw) return null;
  return raw
    .filter((v): v is Record<string, unknown> => !!v && typeof v === 'object')
    .map((v) => {
      const links = Array.isArray(v.links) ? (v.links as Array<Record<string, unknown>>) : [];
      const self = links.find((l) => typeof l?.rel === 'string' && l.rel.toLowerCase() === 'self');
      return {
        id: typeof v.id === 'string' ? v.id : undefined,
        status: typeof v.status === 'string' ? v.status.toLowerCase() : '',
        self: typeof self?.href === 'string' ? self.href : undefined,
      };
    });
}

/**
 * keystoneauth's _combine_relative_url: the version's link resolved against the discovery URL;
 * when it names another host, keystoneauth keeps the discovery URL's scheme and host and appends
 * only the link's last path segment (the version).
 */
export function combineVersionUrl(discoveryUrl: string, href: string): string {
  const base = new URL(`${discoveryUrl.replace(/\/+$/, '')}/`);
  const link = new URL(href, base);
  if (link.host === base.host) return `${base.protocol}//${base.host}${link.pathname}`.replace(/\/+$/, '');
  const version = href.replace(/\/+$/, '').split('/').pop() ?? '';
  const path = base.pathname.replace(/\/+$/, '');
  return `${base.protocol}//${base.host}${path.endsWith(version) ? path : `${path}/${version}`}`;
}

function pageSize(limit: number | null | undefined): number | undefined {
  return limit === null ? undefined : (limit ?? PAGE_SIZE);
}

function withQuery(url: string, query: CallOptions['query']): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${url}${url.includes('?') ? '&' : '?'}${qs}` : url;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function secretMeta(raw: unknown): SecretMeta {
  const r = (raw ?? {}) as Record<string, unknown>;
  return {
    ref: String(r.secret_ref ?? ''),
    uuid: uuidFromRef(r.secret_ref, 'secrets'),
    name: str(r.name) ?? null,
    status: str(r.status),
    secretType: str(r.secret_type),
    created: str(r.created),
    contentTypes: (r.content_types as Record<string, string> | undefined) ?? undefined,
    algorithm: str(r.algorithm) ?? null,
    bitLength: typeof r.bit_length === 'number' ? r.bit_length : null,
  };
}

function orderMeta(raw: unknown): OrderMeta {
  const r = (raw ?? {}) as Record<string, unknown>;
  const meta = (r.meta ?? {}) as Record<string, unknown>;
  return {
    ref: String(r.order_ref ?? ''),
    uuid: uuidFromRef(r.order_ref, 'orders'),
    type: str(r.type),
    status: str(r.status),
    name: str(meta.name) ?? null,
    secretRef: str(r.secret_ref),
    errorStatusCode: r.error_status_code !== undefined ? String(r.error_status_code) : undefined,
    errorReason: str(r.error_reason),
    created: str(r.created),
  };
}

function containerMeta(raw: unknown): ContainerMeta {
  const r = (raw ?? {}) as Record<string, unknown>;
  const refs = Array.isArray(r.secret_refs) ? (r.secret_refs as Array<Record<string, unknown>>) : [];
  return {
    ref: String(r.container_ref ?? ''),
    uuid: uuidFromRef(r.container_ref, 'containers'),
    name: str(r.name) ?? null,
    type: str(r.type),
    status: str(r.status),
    secretRefs: refs.map((s) => ({ name: str(s.name) ?? null, ref: String(s.secret_ref ?? '') })),
    created: str(r.created),
  };
}

function storeMeta(raw: unknown): SecretStoresInfo['stores'][number] {
  const r = (raw ?? {}) as Record<string, unknown>;
  return {
    name: str(r.name) ?? '(unnamed)',
    secretStorePlugin: str(r.secret_store_plugin),
    cryptoPlugin: str(r.crypto_plugin),
    globalDefault: r.global_default === true,
    status: str(r.status),
  };
}
