import crypto from 'node:crypto';
import { VaultError } from '../errors';
import { KEK_BYTES, LocalKek, type Kek } from '../kek';
import type { KekProvider } from './types';

/**
 * `env`: the KEK comes base64-encoded from KEK_BASE64 (a Kubernetes secret, a secret manager's
 * injection), its id from KEK_ID (default: a check value derived from the key, so a changed key
 * never masquerades under an old id). KEK_PREVIOUS_BASE64 (comma-separated) keeps earlier env
 * KEKs loadable during an env-to-env rotation.
 */
export interface EnvProviderOptions {
  base64?: string;
  id?: string;
  previous?: string;
}

function decodeKey(b64: string, what: string): Buffer {
  const key = Buffer.from(b64.trim(), 'base64');
  if (key.length !== KEK_BYTES) {
    throw new VaultError(
      'provider_config',
      `${what} must be a base64-encoded 256-bit key (32 bytes); it decodes to ${key.length} bytes. Generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

/** The default id of an env KEK: 8 hex digits of an HMAC of a fixed label under the key. */
export function keyCheckValue(key: Buffer): string {
  return crypto.createHmac('sha256', key).update('scs-km-vault kek id').digest('hex').slice(0, 8);
}

export class EnvKekProvider implements KekProvider {
  readonly name = 'env' as const;
  private readonly keys: Kek[] = [];
  private readonly current: Kek | null;

  constructor(opts: EnvProviderOptions) {
    if (opts.base64) {
      const key = decodeKey(opts.base64, 'KEK_BASE64');
      const id = opts.id?.trim() || keyCheckValue(key);
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(id))
        throw new VaultError(
          'provider_config',
          `KEK_ID "${id}" may contain only letters, digits, dot, dash and underscore.`,
        );
      this.current = new LocalKek(`env:${id}`, 'env', key);
      this.keys.push(this.current);
    } else {
      this.current = null;
    }
    for (const b64 of (opts.previous ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const key = decodeKey(b64, 'each KEK_PREVIOUS_BASE64 entry');
      this.keys.push(new LocalKek(`env:${keyCheckValue(key)}`, 'env', key));
    }
  }

  get configured(): boolean {
    return this.current !== null;
  }

  async active(): Promise<Kek> {
    if (!this.current)
      throw new VaultError(
        'provider_config',
        'KEK_PROVIDER=env needs KEK_BASE64 (a base64-encoded 256-bit key; openssl rand -base64 32).',
      );
    return this.current;
  }

  async load(kekId: string): Promise<Kek | null> {
    return this.keys.find((k) => k.id === kekId) ?? null;
  }

  describe(): string {
    return this.current ? `environment variable KEK_BASE64 (${this.current.id})` : 'environment (KEK_BASE64 not set)';
  }
}
