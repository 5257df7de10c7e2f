import crypto from 'node:crypto';
import { VaultError } from './errors';
import type { Kek } from './kek';

/**
 * Envelope encryption of one stored secret (a cloud's credential, a webhook's signing secret).
 *
 * Every record gets its own random 256-bit data key. The plaintext is encrypted with AES-256-GCM
 * under that data key; the data key is wrapped by a key-encryption key (KEK) that never enters the
 * database. Both layers authenticate the same additional data (AAD), which binds the record to
 * its cloud id and credential id (or to its purpose and record id) and the format version (the wrap
 * also binds the KEK id). So a ciphertext, a wrapped key, or a whole envelope copied to another
 * record does not decrypt, and neither does any record in which a single byte was changed.
 */
export const FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;

export interface Envelope {
  ciphertext: Buffer;
  nonce: Buffer;
  tag: Buffer;
  wrappedKey: Buffer;
  kekId: string;
  formatVersion: number;
}

/** What the envelope is bound to: moving it to another binding makes it undecryptable. */
export type Binding = CredentialBinding | RecordBinding;

/** A cloud's credential: bound to the cloud and the credential record. */
export interface CredentialBinding {
  cloudId: string;
  credentialId: string;
}

/**
 * Any other sealed secret: bound to what it is for and to its record, e.g.
 * `{purpose: 'webhook-signing-secret', recordId: <webhook id>}`. A purpose keeps a secret sealed
 * for one use from opening as another's.
 */
export interface RecordBinding {
  purpose: string;
  recordId: string;
}

export function recordAad(binding: Binding, formatVersion: number): Buffer {
  if ('purpose' in binding) {
    if (/[\0=]/.test(binding.purpose) || /[\0=]/.test(binding.recordId))
      throw new TypeError('a binding holds no NUL or "=" characters');
    return Buffer.from(
      `scs-km-vault\0v=${formatVersion}\0purpose=${binding.purpose}\0record=${binding.recordId}`,
      'utf8',
    );
  }
  return Buffer.from(
    `scs-km-vault\0v=${formatVersion}\0cloud=${binding.cloudId}\0credential=${binding.credentialId}`,
    'utf8',
  );
}

function wrapAad(binding: Binding, formatVersion: number, kekId: string): Buffer {
  return Buffer.concat([recordAad(binding, formatVersion), Buffer.from(`\0kek=${kekId}`, 'utf8')]);
}

function describe(binding: Binding): string {
  if ('purpose' in binding) return `${binding.purpose} ${binding.recordId}`;
  return `credential ${binding.credentialId} of cloud ${binding.cloudId}`;
}

export async function seal(plaintext: Buffer, binding: Binding, kek: Kek): Promise<Envelope> {
  const dataKey = crypto.randomBytes(DATA_KEY_BYTES);
  try {
    const nonce = crypto.randomBytes(NONCE_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', dataKey, nonce);
    cipher.setAAD(recordAad(binding, FORMAT_VERSION));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const tag = cipher.getAuthTag();
    const wrappedKey = await kek.wrap(dataKey, wrapAad(binding, FORMAT_VERSION, kek.id));
    return { ciphertext, nonce, tag, wrappedKey, kekId: kek.id, formatVersion: FORMAT_VERSION };
  } finally {
    dataKey.fill(0);
  }
}

/** Resolves a KEK by id; throws VaultError('kek_unavailable') when it cannot. */
export type KekLookup = (kekId: string) => Promise<Kek> | Kek;

async function unwrapDataKey(env: Envelope, binding: Binding, lookup: KekLookup): Promise<Buffer> {
  if (env.formatVersion !== FORMAT_VERSION) {
    throw new VaultError(
      'unsupported_format',
      `${describe(binding)} has envelope format version ${env.formatVersion}; this version of the dashboard reads version ${FORMAT_VERSION}.`,
    );
  }
  const kek = await lookup(env.kekId);
  try {
    const dk = await kek.unwrap(env.wrappedKey, wrapAad(binding, env.formatVersion, env.kekId));
    if (dk.length !== DATA_KEY_BYTES) throw new Error('length');
    return dk;
  } catch (err) {
    if (err instanceof VaultError && err.code !== 'tampered') throw err;
    throw new VaultError(
      'tampered',
      `${describe(binding)} does not decrypt: its wrapped data key fails authentication under KEK ${env.kekId}. The record was altered, copied from another record, or the KEK with this id is not the key that wrapped it.`,
      env.kekId,
    );
  }
}

export async function open(env: Envelope, binding: Binding, lookup: KekLookup): Promise<Buffer> {
  const dataKey = await unwrapDataKey(env, binding, lookup);
  try {
    if (env.nonce.length !== NONCE_BYTES || env.tag.length !== TAG_BYTES) throw new Error('shape');
    const decipher = crypto.createDecipheriv('aes-256-gcm', dataKey, env.nonce);
    decipher.setAAD(recordAad(binding, env.formatVersion));
    decipher.setAuthTag(env.tag);
    return Buffer.concat([decipher.update(env.ciphertext), decipher.final()]);
  } catch {
    throw new VaultError(
      'tampered',
      `${describe(binding)} does not decrypt: its ciphertext, nonce or tag fails authentication. The record was altered or its ciphertext was moved from another record.`,
      env.kekId,
    );
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Re-wrap the data key under another KEK (rotation). The ciphertext, nonce and tag stay as they
 * are; the plaintext is never decrypted. Returns the new wrapped key and KEK id.
 */
export async function rewrap(
  env: Envelope,
  binding: Binding,
  lookup: KekLookup,
  to: Kek,
): Promise<Pick<Envelope, 'wrappedKey' | 'kekId'>> {
  const dataKey = await unwrapDataKey(env, binding, lookup);
  try {
    return { wrappedKey: await to.wrap(dataKey, wrapAad(binding, env.formatVersion, to.id)), kekId: to.id };
  } finally {
    dataKey.fill(0);
  }
}

/** The write-only fingerprint of a secret: the last 4 hex digits of its SHA-256. */
export function fingerprint(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex').slice(-4);
}
