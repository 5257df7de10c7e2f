// The one HTTP layer between this application and a cloud. Every request to Keystone or
// Barbican goes through HttpClient.request(), so timeouts, the body cap, the redirect rule, TLS
// verification, the address guard and evidence redaction cannot be forgotten by a caller.
//
// One HttpClient owns one undici Agent (its connection pool) for the lifetime of a run against
// one cloud. TLS trust (CA bundle, insecure switch) and the address policy are properties of
// that cloud, so they live in the Agent's connector; timeouts are applied per request.

import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import type { Dispatcher } from 'undici';
import { guardedLookup, instanceAllowsPrivateEndpoints, refusalReason, type LookupAll } from './address-guard';
import { AddressRefusedError, TransportError, type TransportFailure } from './errors';
import { clip, type Evidence } from './evidence';
import { Redactor, isJsonContentType } from './redact';

export interface Timeouts {
  /** TCP connect plus TLS handshake. */
  connectMs: number;
  /** From sending the request to receiving the response headers. */
  headersMs: number;
  /** Longest pause between two chunks of the response body. */
  bodyMs: number;
}

// A key manager that answers slowly but answers is judged on its answer: openstacksdk (as the
// official suite calls it) sets no timeout at all, so ours are generous; the run's deadline
// (lib/checks) bounds the whole run.
export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 30_000, headersMs: 60_000, bodyMs: 60_000 };
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
const MAX_SAME_ORIGIN_REDIRECTS = 3;
const USER_AGENT = 'scs-km-conformance (scs-0116 checks)';

export interface HttpClientOptions {
  timeouts?: Partial<Timeouts>;
  maxBodyBytes?: number;
  /**
   * PEM bundle of CAs to trust for this cloud (replaces the system trust store, as `cacert` does for openstackclient).
   */
  caBundle?: string;
  /** Skip TLS certificate verification. Audited: reported with every run and shown as a warning. */
  insecure?: boolean;
  /** Allow loopback and private addresses for this cloud (ALLOW_PRIVATE_ENDPOINTS=true allows them for all). */
  allowPrivateAddresses?: boolean;
  /**
   * For requests that are not to a cloud (webhooks): the one switch that allows loopback and private
   * addresses, named in refusals. allowPrivateAddresses and ALLOW_PRIVATE_ENDPOINTS do not apply then.
   */
  privateAddressSwitch?: { name: string; on: boolean };
  redactor?: Redactor;
  /** Called with the redacted evidence of every exchange as soon as it completes or fails. */
  onExchange?: (evidence: Evidence) => void;
  /** Name resolution, injectable so tests can make a name resolve to a forbidden address. */
  resolve?: LookupAll;
  env?: Record<string, string | undefined>;
}

export interface RequestSpec {
  /** OpenStack service type, for evidence and messages. */
  service: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  signal?: AbortSignal;
  /** The response body is secret by nature (a secret payload): evidence keeps only its size. */
  secretResponse?: boolean;
  timeouts?: Partial<Pick<Timeouts, 'headersMs' | 'bodyMs'>>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that produced this response (differs from the request URL after a same-origin redirect). */
  url: string;
  durationMs: number;
  evidence: Evidence;
  text(): string;
}

export interface TlsPeerInfo {
  /** Whether the chain verified against the trust in use (false is possible only with insecure). */
  authorized: boolean;
  authorizationError?: string;
  subject?: string;
  issuer?: string;
  validFrom?: string;
  validTo?: string;
  protocol?: string;
}

export class HttpClient {
  readonly timeouts: Timeouts;
  readonly maxBodyBytes: number;
  readonly insecure: boolean;
  readonly allowPrivateAddresses: boolean;
  readonly redactor: Redactor;
  private readonly agent: Agent;
  private readonly onExchange?: (evidence: Evidence) => void;
  private readonly tlsPeers = new Map<string, TlsPeerInfo>();
  private seq = 0;

  constructor(options: HttpClientOptions = {}) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts) };
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.insecure = options.insecure === true;
    const own = options.privateAddressSwitch;
    this.allowPrivateAddresses = own
      ? own.on
      : options.allowPrivateAddresses === true || instanceAllowsPrivateEndpoints(options.env ?? process.env);
    this.redactor = options.redactor ?? new Redactor();
    this.onExchange = options.onExchange;

    const policy = {
      allowPrivateAddresses: this.allowPrivateAddresses,
      ...(own ? { privateAddressHint: `${own.name}=true is set` } : {}),
    };
    const inner = buildConnector({
      timeout: this.timeouts.connectMs,
      lookup: guardedLookup(policy, options.resolve),
      rejectUnauthorized: !this.insecure,
      ...(options.caBundle ? { ca: options.caBundle } : {}),
    } as buildConnector.BuildOptions);

    const connect: buildConnector.connector = (opts, callback) => {
      const host = opts.hostname.replace(/^\[|\]$/g, '');
      // IP literals never reach the lookup function, so they are checked here.
      if (net.isIP(host)) {
        const reason = refusalReason(host, policy);
        if (reason) return callback(new AddressRefusedError(host, host, reason), null);
      }
      inner(opts, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('connect failed'), null);
        if (opts.protocol === 'https:')
          this.recordTlsPeer(`https://${opts.hostname}:${opts.port || 443}`, socket as TLSSocket);
        callback(null, socket);
      });
    };

    this.agent = new Agent({
      connect,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      keepAliveTimeout: 4_000,
      connections: 8,
    });
  }

  /** TLS facts of the last connection to the URL's origin (only for https origins already contacted). */
  tlsPeer(url: string): TlsPeerInfo | undefined {
    const u = new URL(url);
    return this.tlsPeers.get(`https://${u.hostname}:${u.port || 443}`);
  }

  /**
   * Send one request. Resolves with any HTTP status (callers decide what a status means);
   * rejects with TransportError when no complete response arrived within the timeouts.
   */
  async request(spec: RequestSpec): Promise<HttpResponse> {
    let url = spec.url;
    let method = spec.method.toUpperCase();
    let json = spec.json;
    let body = spec.body;
    for (let hop = 0; ; hop++) {
      const response = await this.exchange({ ...spec, url, method, json, body });
      const location = response.headers['location'];
      if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
      const target = new URL(location, url);
      const from = new URL(url);
      // Only to the same origin (scheme, host and port): the token and a password body travel with a
      // redirect, and a redirect is the classic way to point a checker at a metadata service or at
      // another service on the same host.
      if (target.origin !== from.origin) {
        throw new TransportError(
          'redirect-refused',
          `${spec.service} redirected ${method} ${this.redactor.text(url)} to another origin (${this.redactor.text(target.origin)}); only redirects to the same scheme, host and port are followed.`,
          this.redactor.text(url),
        );
      }
      if (hop + 1 >= MAX_SAME_ORIGIN_REDIRECTS) {
        throw new TransportError(
          'redirect-refused',
          `${spec.service} redirected more than ${MAX_SAME_ORIGIN_REDIRECTS} times starting at ${this.redactor.text(spec.url)}.`,
          this.redactor.text(spec.url),
        );
      }
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        json = undefined;
        body = undefined;
      }
      url = target.toString();
    }
  }

  private async exchange(spec: RequestSpec): Promise<HttpResponse> {
    const started = Date.now();
    const at = new Date(started).toISOString();
    const seq = ++this.seq;
    const headers: Record<string, string> = {
      'user-agent': USER_AGENT,
      accept: 'application/json',
      ...lowerKeys(spec.headers ?? {}),
    };
    let payload: string | undefined = spec.body;
    if (spec.json !== undefined) {
      payload = JSON.stringify(spec.json);
      headers['content-type'] ??= 'application/json';
    }
    const headersMs = spec.timeouts?.headersMs ?? this.timeouts.headersMs;
    const bodyMs = spec.timeouts?.bodyMs ?? this.timeouts.bodyMs;
    // bodyTimeout is an idle timer; the deadline bounds a body that trickles in forever.
    const deadlineMs = this.timeouts.connectMs + headersMs + bodyMs;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, deadline]) : deadline;
    const redactedUrl = this.redactor.text(spec.url);

    const evidence: Evidence = {
      seq,
      at,
      service: spec.service,
      method: spec.method,
      url: redactedUrl,
      status: null,
      durationMs: 0,
      requestHeaders: this.redactor.headers(headers),
    };
    if (payload !== undefined) {
      evidence.requestBody = clip(this.redactor.body(payload, headers['content-type'])).text;
    }

    let status: number | null = null;
    let responseHeaders: Record<string, string> = {};
    try {
      const u = new URL(spec.url);
      const res = await this.agent.request({
        origin: u.origin,
        path: `${u.pathname}${u.search}`,
        method: spec.method as Dispatcher.HttpMethod,
        headers,
        body: payload,
        signal,
        headersTimeout: headersMs,
        bodyTimeout: bodyMs,
      });
      status = res.statusCode;
      responseHeaders = flattenHeaders(res.headers);
      const declared = Number(responseHeaders['content-length']);
      if (Number.isFinite(declared) && declared > this.maxBodyBytes) {
        res.body.destroy();
        throw new TransportError(
          'body-too-large',
          `${spec.service} announced a ${declared}-byte response to ${spec.method} ${redactedUrl}, above the ${this.maxBodyBytes}-byte limit.`,
          redactedUrl,
        );
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > this.maxBodyBytes) {
          res.body.destroy();
          throw new TransportError(
            'body-too-large',
            `${spec.service} sent more than ${this.maxBodyBytes} bytes in response to ${spec.method} ${redactedUrl}; the response was cut off.`,
            redactedUrl,
          );
        }
        chunks.push(chunk as Buffer);
      }
      const body = Buffer.concat(chunks);
      const durationMs = Date.now() - started;
      evidence.status = status;
      evidence.durationMs = durationMs;
      evidence.responseHeaders = this.redactor.headers(responseHeaders);
      evidence.responseBytes = body.length;
      const clipped = clip(
        this.redactor.body(body.toString('utf8'), responseHeaders['content-type'], spec.secretResponse === true),
      );
      evidence.responseBody = clipped.text;
      if (clipped.truncated) evidence.bodyTruncated = true;
      this.onExchange?.(evidence);
      return {
        status,
        headers: responseHeaders,
        body,
        url: spec.url,
        durationMs,
        evidence,
        text: () => body.toString('utf8'),
      };
    } catch (err) {
      const failure = this.toTransportError(err, spec, redactedUrl, status !== null, deadline.aborted, deadlineMs);
      evidence.status = status;
      evidence.durationMs = Date.now() - started;
      if (status !== null) evidence.responseHeaders = this.redactor.headers(responseHeaders);
      evidence.error = failure.message;
      this.onExchange?.(evidence);
      throw failure;
    }
  }

  private toTransportError(
    err: unknown,
    spec: RequestSpec,
    url: string,
    gotHeaders: boolean,
    deadlineHit: boolean,
    deadlineMs: number,
  ): TransportError {
    if (err instanceof TransportError) {
      // Refusals raised in the connector do not know the URL yet.
      return err instanceof AddressRefusedError && !err.url
        ? new AddressRefusedError(err.host, err.address, err.reason, url)
        : err;
    }
    const refused = findCause(err, (e) => e instanceof AddressRefusedError) as AddressRefusedError | undefined;
    if (refused) return new AddressRefusedError(refused.host, refused.address, refused.reason, url);
    const code = errorCode(err);
    const what = `${spec.service} ${spec.method} ${url}`;
    const make = (failure: TransportFailure, message: string) =>
      new TransportError(failure, this.redactor.text(message), url, { cause: err });

    if (spec.signal?.aborted) return make('aborted', `${what} was cancelled.`);
    if (deadlineHit) return make('deadline', `${what} did not complete within ${deadlineMs} ms.`);
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
        return make('connect-timeout', `${what}: no connection within ${this.timeouts.connectMs} ms.`);
      case 'UND_ERR_HEADERS_TIMEOUT':
        return make(
          'headers-timeout',
          `${what}: no response within ${spec.timeouts?.headersMs ?? this.timeouts.headersMs} ms.`,
        );
      case 'UND_ERR_BODY_TIMEOUT':
        return make(
          'body-timeout',
          `${what}: the response body stalled for ${spec.timeouts?.bodyMs ?? this.timeouts.bodyMs} ms.`,
        );
      case 'ECONNREFUSED':
        return make('connection-refused', `${what}: connection refused.`);
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return make('dns', `${what}: host name could not be resolved.`);
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
        return make('truncated', `${what}: the response body ended before its announced length.`);
      default:
        break;
    }
    if (code && TLS_ERROR_CODES.has(code)) {
      return make(
        'tls',
        `${what}: the TLS certificate is not trusted (${code}); install a certificate from a trusted CA or configure the cloud's CA bundle.`,
      );
    }
    if (code && /CERT|SSL|TLS/.test(code)) return make('tls', `${what}: TLS failed (${code}).`);
    if (gotHeaders) {
      return make(
        'truncated',
        `${what}: the connection closed before the response body was complete (${code ?? 'socket closed'}).`,
      );
    }
    return make('network', `${what} failed: ${code ?? (err instanceof Error ? err.message : String(err))}.`);
  }

  private recordTlsPeer(origin: string, socket: TLSSocket): void {
    const cert = socket.getPeerCertificate?.();
    const info: TlsPeerInfo = {
      authorized: socket.authorized === true,
      protocol: socket.getProtocol?.() ?? undefined,
    };
    if (socket.authorizationError) info.authorizationError = String(socket.authorizationError);
    if (cert && Object.keys(cert).length > 0) {
      info.subject = cert.subject?.CN ? String(cert.subject.CN) : undefined;
      info.issuer = cert.issuer?.CN ? String(cert.issuer.CN) : undefined;
      info.validFrom = cert.valid_from;
      info.validTo = cert.valid_to;
    } else {
      // A resumed TLS session does not present the certificate again: keep what the full
      // handshake recorded.
      const previous = this.tlsPeers.get(origin);
      if (previous)
        Object.assign(info, {
          subject: previous.subject,
          issuer: previous.issuer,
          validFrom: previous.validFrom,
          validTo: previous.validTo,
        });
    }
    this.tlsPeers.set(origin, info);
  }

  /** Close every connection now; pending requests fail. */
  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}

const TLS_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function findCause(err: unknown, pred: (e: unknown) => boolean): unknown {
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    if (pred(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function definedOnly<T extends object>(o: Partial<T> | undefined): Partial<T> {
  if (!o) return {};
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** The media type of a response without parameters (used by the service clients' JSON check). */
export function contentTypeOf(res: HttpResponse): string {
  return (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isJsonResponse(res: HttpResponse): boolean {
  return isJsonContentType(res.headers['content-type']);
}
