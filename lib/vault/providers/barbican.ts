import crypto from 'node:crypto';
import fs from 'node:fs';
import {
  BarbicanClient,
  HttpClient,
  KeystoneClient,
  describeError,
  keyManagerEndpoint,
  normaliseInterface,
  selectEndpoint,
  type KeystoneSession,
} from '../../openstack';
import { VaultError } from '../errors';
import { KEK_BYTES, LocalKek, type Kek } from '../kek';
import type { KekProvider, VaultEnv } from './types';

/**
 * `barbican`: the dashboard's own KEK is a secret in an OpenStack key manager. At start it is read
 * once with an application credential (through lib/openstack, so the address guard, timeouts and
 * redaction apply) and held only in memory. The database holds only `barbican:<secret uuid>`.
 *
 * Configuration (environment):
 *   KEK_BARBICAN_AUTH_URL          Keystone URL
 *   KEK_BARBICAN_APP_CRED_ID       application credential id
 *   KEK_BARBICAN_APP_CRED_SECRET   application credential secret (or KEK_BARBICAN_APP_CRED_SECRET_FILE)
 *   KEK_BARBICAN_SECRET            the secret's UUID or its secret_ref URL
 *   KEK_BARBICAN_REGION            region of the key-manager endpoint (optional)
 *   KEK_BARBICAN_INTERFACE         public (default), internal or admin
 *   KEK_BARBICAN_CA_FILE           PEM bundle to trust (optional)
 *   KEK_BARBICAN_ALLOW_PRIVATE     "true" to allow loopback/private addresses (labs)
 */
export interface BarbicanKekConfig {
  authUrl: string;
  applicationCredentialId: string;
  applicationCredentialSecret: string;
  /** Secret UUID (or a secret_ref whose last path segment is the UUID). */
  secret: string;
  region?: string;
  interface?: string;
  caBundle?: string;
  allowPrivateAddresses?: boolean;
}

export function barbicanConfigFromEnv(env: VaultEnv): BarbicanKekConfig | null {
  const secretFile = env.KEK_BARBICAN_APP_CRED_SECRET_FILE;
  const cfg = {
    authUrl: env.KEK_BARBICAN_AUTH_URL ?? '',
    applicationCredentialId: env.KEK_BARBICAN_APP_CRED_ID ?? '',
    applicationCredentialSecret:
      env.KEK_BARBICAN_APP_CRED_SECRET ?? (secretFile ? fs.readFileSync(secretFile, 'utf8').trim() : ''),
    secret: env.KEK_BARBICAN_SECRET ?? '',
    region: env.KEK_BARBICAN_REGION || undefined,
    interface: env.KEK_BARBICAN_INTERFACE || undefined,
    caBundle: env.KEK_BARBICAN_CA_FILE ? fs.readFileSync(env.KEK_BARBICAN_CA_FILE, 'utf8') : undefined,
    allowPrivateAddresses: env.KEK_BARBICAN_ALLOW_PRIVATE === 'true',
  };
  if (!cfg.authUrl && !cfg.applicationCredentialId && !cfg.secret) return null;
  const missing = (['authUrl', 'applicationCredentialId', 'applicationCredentialSecret', 'secret'] as const)
    .filter((k) => !cfg[k])
    .map(
      (k) =>
        ({
          authUrl: 'KEK_BARBICAN_AUTH_URL',
          applicationCredentialId: 'KEK_BARBICAN_APP_CRED_ID',
          applicationCredentialSecret: 'KEK_BARBICAN_APP_CRED_SECRET',
          secret: 'KEK_BARBICAN_SECRET',
        })[k],
    );
  if (missing.length) throw new VaultError('provider_config', `The barbican KEK provider needs ${missing.join(', ')}.`);
  return cfg;
}

function secretUuid(secret: string): string {
  const s = secret.replace(/\/+$/, '');
  const uuid = s.includes('/') ? s.slice(s.lastIndexOf('/') + 1) : s;
  if (!/^[0-9a-f-]{32,36}$/i.test(uuid))
    throw new VaultError(
      'provider_config',
      `KEK_BARBICAN_SECRET "${secret}" is neither a secret UUID nor a secret_ref.`,
    );
  return uuid.toLowerCase();
}

/** Authenticate with the application credential and find the key-manager of the region. */
async function connect(
  cfg: BarbicanKekConfig,
): Promise<{ http: HttpClient; client: BarbicanClient; session: KeystoneSession }> {
  const http = new HttpClient({ caBundle: cfg.caBundle, allowPrivateAddresses: cfg.allowPrivateAddresses });
  try {
    const session = await new KeystoneClient(http).authenticate({
      type: 'application_credential',
      authUrl: cfg.authUrl,
      applicationCredentialId: cfg.applicationCredentialId,
      applicationCredentialSecret: cfg.applicationCredentialSecret,
    });
    const choice = selectEndpoint(session.token.catalog, 'key-manager', normaliseInterface(cfg.interface), cfg.region);
    if (!choice) {
      throw new VaultError(
        'kek_unavailable',
        `The catalog of ${cfg.authUrl} lists no key-manager${cfg.region ? ` in region ${cfg.region}` : ''}; the barbican KEK cannot be read.`,
      );
    }
    return { http, client: new BarbicanClient(http, session, keyManagerEndpoint(choice.endpoint.url)), session };
  } catch (err) {
    await http.close();
    throw err;
  }
}

export class BarbicanKekProvider implements KekProvider {
  readonly name = 'barbican' as const;
  private kek: Kek | null = null;

  constructor(private readonly cfg: BarbicanKekConfig) {}

  get kekId(): string {
    return `barbican:${secretUuid(this.cfg.secret)}`;
  }

  async active(): Promise<Kek> {
    if (this.kek) return this.kek;
    const id = this.kekId;
    let conn: Awaited<ReturnType<typeof connect>> | undefined;
    try {
      conn = await connect(this.cfg);
      const payload = await conn.client.getPayload(secretUuid(this.cfg.secret), 'application/octet-stream');
      if (payload.length !== KEK_BYTES) {
        throw new VaultError(
          'provider_config',
          `The Barbican secret of KEK ${id} holds ${payload.length} bytes; a KEK must be 32 bytes.`,
          id,
        );
      }
      this.kek = new LocalKek(id, 'barbican', payload);
      payload.fill(0);
      return this.kek;
    } catch (err) {
      if (err instanceof VaultError) throw err;
      // lib/openstack messages are redacted (the application credential secret is registered).
      throw new VaultError(
        'kek_unavailable',
        `KEK ${id} could not be read from Barbican at ${this.cfg.authUrl}: ${describeError(err)}`,
        id,
      );
    } finally {
      await conn?.http.close();
    }
  }

  async load(kekId: string): Promise<Kek | null> {
    if (kekId !== this.kekId) return null;
    return this.active();
  }

  describe(): string {
    return `Barbican secret ${secretUuid(this.cfg.secret)} via ${this.cfg.authUrl}`;
  }
}

/**
 * Store a fresh random 256-bit KEK as a Barbican secret with the given application credential
 * and return its UUID (for KEK_BARBICAN_SECRET). Used by operators (`npm run vault -- barbican-create`)
 * and by the lab test.
 */
export async function createBarbicanKek(
  cfg: Omit<BarbicanKekConfig, 'secret'>,
  name = 'scs-km-dashboard-kek',
): Promise<string> {
  const conn = await connect({ ...cfg, secret: '00000000-0000-0000-0000-000000000000' });
  const key = crypto.randomBytes(KEK_BYTES);
  try {
    const { uuid } = await conn.client.createSecret({
      name,
      secretType: 'symmetric',
      algorithm: 'aes',
      bitLength: 256,
      mode: 'gcm',
      payload: key.toString('base64'),
      payloadContentType: 'application/octet-stream',
      payloadContentEncoding: 'base64',
    });
    return uuid;
  } finally {
    key.fill(0);
    await conn.http.close();
  }
}
