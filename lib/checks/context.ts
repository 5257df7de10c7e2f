// What a check gets to work with: the run's HTTP client, the memoised Keystone session of the
// credential under test (and of the optional personas), the key-manager endpoint of the region
// under test, object naming, and the tracker that feeds the leftover sweep.
//
// Like the official harness's Container, authentication happens once per run and its outcome
// (a token or an error) is memoised, so every check sees the same token and the same failure.

import { randomBytes as nodeRandomBytes } from 'node:crypto';
import {
  BarbicanClient,
  HttpClient,
  HttpStatusError,
  KeystoneClient,
  endpointAbsence,
  keyManagerEndpoint,
  normaliseInterface,
  regionsOffering,
  selectEndpoint,
  type EndpointAbsence,
  type Evidence,
  type Interface,
  type KeyManagerEndpoint,
  type KeystoneSession,
} from '../openstack';
import { ObjectTracker } from './objects';
import type { CloudConfig, LeftoverKind, PersonaName, RunEvent, RunLimits, RunOptions } from './types';

/**
 * 20 minutes for the checks: a key manager that takes its time (tens of seconds per answer) still
 * gets the official testcases done and most informational checks; 30 s for a late create to land.
 */
export const DEFAULT_RUN_LIMITS: RunLimits = { runMs: 20 * 60_000, lateCreateMs: 30_000 };

/** The fixed name of the official testcase's secret (Tests/iaas/scs_0116_key_manager/key_manager.py). */
export const OFFICIAL_TEST_SECRET_NAME = 'scs-member-role-test-secret';
/** Every object our own checks create is named `${RUN_NAME_PREFIX}${runId}-...`. */
export const RUN_NAME_PREFIX = 'kmc-';

export type KeyManagerLookup =
  | {
      present: true;
      endpoint: KeyManagerEndpoint;
      serviceName: string | undefined;
      region: string | null;
      client: BarbicanClient;
    }
  | {
      present: false;
      /**
       * Why there is no endpoint to use: no key-manager service at all (the official testcases'
       * "not present"), or a service that is listed but not usable from the region and interface
       * under test (openstacksdk stops with EndpointNotFound there).
       */
      absence: EndpointAbsence;
      /** Regions where the catalog does list a key-manager (on the interface under test). */
      otherRegions: string[];
      /** Regions where a key-manager exists on any interface (to explain "internal only"). */
      anyInterfaceRegions: string[];
    };

export class RunContext {
  readonly runId: string;
  readonly namePrefix: string;
  readonly cloud: CloudConfig;
  readonly region: string | undefined;
  readonly iface: Interface;
  readonly signal: AbortSignal | undefined;
  readonly limits: RunLimits;
  readonly http: HttpClient;
  readonly keystone: KeystoneClient;
  readonly tracker = new ObjectTracker();
  private readonly onEvent?: (event: RunEvent) => void;
  private readonly random: (size: number) => Buffer;
  private readonly auth = new Map<string, { promise: Promise<KeystoneSession>; evidence: Evidence[] }>();
  private capture: Evidence[] | null = null;
  private keyManagerPromise?: Promise<KeyManagerLookup>;
  private sink: Evidence[] = [];
  private currentCheck: string | null = null;

  constructor(options: RunOptions, runId: string, limits: RunLimits = DEFAULT_RUN_LIMITS) {
    this.runId = runId;
    this.limits = limits;
    this.namePrefix = `${RUN_NAME_PREFIX}${runId}-`;
    this.cloud = options.cloud;
    this.region = options.cloud.region || undefined;
    this.iface = normaliseInterface(options.cloud.interface);
    this.signal = options.signal;
    this.onEvent = options.onEvent;
    this.random = options.randomBytes ?? nodeRandomBytes;
    this.http = new HttpClient({
      timeouts: options.cloud.timeouts,
      maxBodyBytes: options.cloud.maxBodyBytes,
      caBundle: options.cloud.caBundle,
      insecure: options.cloud.insecure,
      allowPrivateAddresses: options.cloud.allowPrivateAddresses,
      onExchange: (evidence) => {
        this.sink.push(evidence);
        this.capture?.push(evidence);
        this.onEvent?.({ type: 'exchange', checkId: this.currentCheck, evidence });
      },
    });
    this.keystone = new KeystoneClient(this.http);
  }

  /** Route evidence to a new collector (one per check, one for the sweep). */
  beginEvidence(checkId: string | null): Evidence[] {
    this.currentCheck = checkId;
    this.sink = [];
    return this.sink;
  }

  /** Evidence produced earlier but needed to understand this check (the authentication). */
  private attachEvidence(records: Evidence[]): void {
    const seen = new Set(this.sink.map((e) => e.seq));
    for (const r of records) if (!seen.has(r.seq)) this.sink.push(r);
    this.sink.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Authenticate once per credential and memoise the outcome (token or error), keeping the
   * exchanges so that every check relying on the credential carries them as evidence.
   */
  private authenticateOnce(key: string, auth: CloudConfig['auth']): Promise<KeystoneSession> {
    let memo = this.auth.get(key);
    if (!memo) {
      const evidence: Evidence[] = [];
      const promise = (async () => {
        this.capture = evidence;
        try {
          return await this.keystone.authenticate(auth, this.signal);
        } finally {
          this.capture = null;
        }
      })();
      memo = { promise, evidence };
      this.auth.set(key, memo);
    }
    const { promise, evidence } = memo;
    return promise.finally(() => this.attachEvidence(evidence));
  }

  /** The memoised session of the credential under test. */
  session(): Promise<KeystoneSession> {
    return this.authenticateOnce('main', this.cloud.auth);
  }

  /** Whether authentication of the credential under test was attempted in this run. */
  get authenticated(): boolean {
    return this.auth.has('main');
  }

  hasPersona(name: PersonaName): boolean {
    return this.cloud.personas?.[name] !== undefined;
  }

  personaSession(name: PersonaName): Promise<KeystoneSession> {
    const auth = this.cloud.personas?.[name];
    if (!auth) return Promise.reject(new Error(`no ${name} credential configured`));
    return this.authenticateOnce(name, auth);
  }

  /** The key-manager of the region under test, from the token's catalog. */
  async keyManager(): Promise<KeyManagerLookup> {
    const session = await this.session();
    this.keyManagerPromise ??= Promise.resolve().then(() => {
      const catalog = session.token.catalog;
      const choice = selectEndpoint(catalog, 'key-manager', this.iface, this.region);
      if (!choice) {
        return {
          present: false as const,
          absence: endpointAbsence(catalog, 'key-manager', this.region),
          otherRegions: regionsOffering(catalog, 'key-manager', this.iface),
          anyInterfaceRegions: regionsOffering(catalog, 'key-manager'),
        };
      }
      const endpoint = keyManagerEndpoint(choice.endpoint.url);
      return {
        present: true as const,
        endpoint,
        serviceName: choice.service.name,
        region: choice.endpoint.region,
        client: new BarbicanClient(this.http, session, endpoint, this.cloud.keyManagerMicroversion, this.signal),
      };
    });
    return this.keyManagerPromise;
  }

  objectName(purpose: string): string {
    return `${this.namePrefix}${purpose}`;
  }

  randomBytes(size: number): Buffer {
    return this.random(size);
  }

  /** Create an object and track it; an unanswered create is remembered for the sweep. */
  async createTracked<T extends { uuid: string }>(
    kind: LeftoverKind,
    name: string,
    createdBy: string,
    create: () => Promise<T>,
  ): Promise<T> {
    try {
      const created = await create();
      this.tracker.created(kind, created.uuid, name, createdBy);
      return created;
    } catch (err) {
      this.tracker.createFailed(kind, name, createdBy, err);
      throw err;
    }
  }

  /**
   * Delete a tracked object by UUID. A 404 counts as deleted (it is gone). Deletes ignore the
   * run's cancel signal: a cancelled run must still clean up after itself.
   */
  async deleteTracked(kind: LeftoverKind, uuid: string, client: BarbicanClient): Promise<void> {
    const c = client.withSession(await this.session(), undefined);
    try {
      if (kind === 'secret') await c.deleteSecret(uuid);
      else if (kind === 'order') await c.deleteOrder(uuid);
      else await c.deleteContainer(uuid);
      this.tracker.deleted(kind, uuid);
    } catch (err) {
      if (err instanceof HttpStatusError && err.status === 404) {
        this.tracker.deleted(kind, uuid);
        return;
      }
      this.tracker.deleteFailed(kind, uuid, err);
      throw err;
    }
  }

  emit(event: RunEvent): void {
    this.onEvent?.(event);
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

/** The part of the run context a check may use. */
export type CheckContext = Pick<
  RunContext,
  | 'runId'
  | 'namePrefix'
  | 'cloud'
  | 'region'
  | 'iface'
  | 'signal'
  | 'http'
  | 'tracker'
  | 'session'
  | 'hasPersona'
  | 'personaSession'
  | 'keyManager'
  | 'objectName'
  | 'randomBytes'
  | 'createTracked'
  | 'deleteTracked'
>;
