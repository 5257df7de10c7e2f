import crypto from 'node:crypto';
import { VaultError } from './errors';

/**
 * A key-encryption key (KEK) as the envelope sees it: something that wraps and unwraps a 32-byte
 * data key, bound to additional authenticated data. Providers that hold the key bytes in memory
 * (file, env, barbican) use LocalKek; a provider that never releases its key (PKCS#11, KMIP,
 * Vault transit) implements wrap/unwrap as calls to that service.
 */
export interface Kek {
  /** Globally unique, provider-prefixed: "file:<id>", "env:<id>", "barbican:<secret uuid>". */
  readonly id: string;
  readonly provider: string;
  wrap(dataKey: Buffer, aad: Buffer): Promise<Buffer>;
  unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer>;
}

export const KEK_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A 256-bit KEK held in process memory; wrapping is AES-256-GCM (nonce || ciphertext || tag). */
export class LocalKek implements Kek {
  readonly #key: Buffer;

  constructor(
    readonly id: string,
    readonly provider: string,
    key: Buffer,
  ) {
    if (key.length !== KEK_BYTES) {
      throw new VaultError(
        'provider_config',
        `KEK ${id} is ${key.length} bytes long; a KEK must be exactly ${KEK_BYTES} bytes (256 bits).`,
        id,
      );
    }
    this.#key = Buffer.from(key);
  }

  async wrap(dataKey: Buffer, aad: Buffer): Promise<Buffer> {
    const nonce = crypto.randomBytes(NONCE_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(aad);
    const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([nonce, ct, cipher.getAuthTag()]);
  }

  async unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    if (wrapped.length !== NONCE_BYTES + KEK_BYTES + TAG_BYTES) {
      throw new VaultError('tampered', `the wrapped data key has the wrong length (${wrapped.length} bytes)`, this.id);
    }
    const nonce = wrapped.subarray(0, NONCE_BYTES);
    const tag = wrapped.subarray(wrapped.length - TAG_BYTES);
    const ct = wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES);
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, nonce);
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]);
    } catch {
      throw new VaultError(
        'tampered',
        `KEK ${this.id} could not unwrap the data key (wrong key for this id, or the wrapped key was altered or moved)`,
        this.id,
      );
    }
  }

  /** Never serialise key material. */
  toJSON(): Record<string, string> {
    return { id: this.id, provider: this.provider };
  }
}
