// OpenSSH public keys and SSHSIG signatures (`ssh-keygen -Y sign` / `-Y verify`), with node:crypto only.
// The SCS runner signs its report with `ssh-keygen -Y sign -n report`; the compliance monitor checks it
// with `ssh-keygen -Y verify`. sshpk does not read SSHSIG (TritonDataCenter/node-sshpk#86), so this is a
// small reader and writer of the documented format (OpenSSH PROTOCOL.sshsig):
//
//   armour:      "-----BEGIN SSH SIGNATURE-----" base64 (70 columns) "-----END SSH SIGNATURE-----"
//   blob:        "SSHSIG" uint32(1) string(public key) string(namespace) string(reserved)
//                string(hash algorithm) string(signature)
//   signed data: "SSHSIG" string(namespace) string(reserved) string(hash algorithm) string(H(message))
//
// Keys we accept: ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa of at least 3072 bits (signatures
// rsa-sha2-256/512; never SHA-1). Security-key (sk-*) and certificate keys are refused by name.

import crypto from 'node:crypto';

export const MIN_RSA_BITS = 3072;
const MAGIC = Buffer.from('SSHSIG');
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';
const HASHES = ['sha256', 'sha512'] as const;
type SigHash = (typeof HASHES)[number];

const CURVES = {
  'ecdsa-sha2-nistp256': { curve: 'nistp256', jwk: 'P-256', hash: 'sha256', bytes: 32 },
  'ecdsa-sha2-nistp384': { curve: 'nistp384', jwk: 'P-384', hash: 'sha384', bytes: 48 },
  'ecdsa-sha2-nistp521': { curve: 'nistp521', jwk: 'P-521', hash: 'sha512', bytes: 66 },
} as const;
type EcdsaType = keyof typeof CURVES;
export type KeyType = 'ssh-ed25519' | 'ssh-rsa' | EcdsaType;

/** A malformed key or signature, or one that does not verify: the message says which, for the caller to show. */
export class SshSigError extends Error {
  constructor(
    readonly code: 'malformed-key' | 'unsupported-key' | 'weak-key' | 'malformed-signature' | 'mismatch',
    message: string,
  ) {
    super(message);
    this.name = 'SshSigError';
  }
}

/** The SSH wire format: uint32 lengths before strings and mpints (RFC 4251 §5). */
class Reader {
  private at = 0;
  constructor(
    private readonly buf: Buffer,
    private readonly what: string,
    private readonly code: 'malformed-key' | 'malformed-signature',
  ) {}
  fail(why: string): never {
    throw new SshSigError(this.code, `${this.what} is malformed: ${why}.`);
  }
  bytes(n: number): Buffer {
    if (this.at + n > this.buf.length) this.fail('it ends too early');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }
  string(): Buffer {
    return this.bytes(this.uint32());
  }
  text(): string {
    return this.string().toString('latin1');
  }
  /** A positive mpint without its sign byte. */
  mpint(): Buffer {
    const b = this.string();
    if (b.length > 0 && b[0]! & 0x80) this.fail('a negative number');
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    return b.subarray(i);
  }
  end(): void {
    if (this.at !== this.buf.length) this.fail(`${this.buf.length - this.at} bytes follow its end`);
  }
}

function sshString(b: Buffer | string): Buffer {
  const data = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, data]);
}

const b64url = (b: Buffer) => b.toString('base64url');

export interface PublicKey {
  type: KeyType;
  /** The key blob (the base64 part of the OpenSSH line, decoded). */
  blob: Buffer;
  /** Size in bits: 256 for ed25519, the curve size for ecdsa, the modulus size for RSA. */
  bits: number;
  /** As `ssh-keygen -l` prints it: "SHA256:" and unpadded base64 of the blob's SHA-256. */
  fingerprint: string;
  comment: string;
  key: crypto.KeyObject;
}

/** The OpenSSH line of a key, without its comment ("ssh-ed25519 AAAA…"). */
export function keyLine(k: Pick<PublicKey, 'type' | 'blob'>): string {
  return `${k.type} ${k.blob.toString('base64')}`;
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Decodes a key blob (from an OpenSSH line or from inside a signature) into a node:crypto key. */
export function parseKeyBlob(blob: Buffer, comment = '', what = 'The public key'): PublicKey {
  const r = new Reader(blob, what, 'malformed-key');
  const load = (make: () => crypto.KeyObject): crypto.KeyObject | undefined => {
    try {
      return make();
    } catch {
      return undefined; // reported below as a key that does not load
    }
  };
  const type = r.text();
  let key: crypto.KeyObject | undefined;
  let bits: number;
  if (type === 'ssh-ed25519') {
    const pub = r.string();
    if (pub.length !== 32) r.fail(`an ed25519 key has 32 bytes, not ${pub.length}`);
    key = load(() => crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(pub) }, format: 'jwk' }));
    bits = 256;
  } else if (type in CURVES) {
    const c = CURVES[type as EcdsaType];
    const curve = r.text();
    if (curve !== c.curve) r.fail(`the key type says ${c.curve} but the key says ${curve}`);
    const q = r.string();
    if (q.length !== 1 + 2 * c.bytes || q[0] !== 4) r.fail('the point is not an uncompressed point of its curve');
    try {
      key = crypto.createPublicKey({
        key: {
          kty: 'EC',
          crv: c.jwk,
          x: b64url(q.subarray(1, 1 + c.bytes)),
          y: b64url(q.subarray(1 + c.bytes)),
        },
        format: 'jwk',
      });
    } catch {
      r.fail('the point is not on its curve');
    }
    bits = c.jwk === 'P-521' ? 521 : c.bytes * 8;
  } else if (type === 'ssh-rsa') {
    const e = r.mpint();
    const n = r.mpint();
    bits = n.length * 8 - Math.clz32(n[0] ?? 0) + 24;
    if (n.length === 0) r.fail('the modulus is empty');
    key = load(() => crypto.createPublicKey({ key: { kty: 'RSA', n: b64url(n), e: b64url(e) }, format: 'jwk' }));
  } else if (/^sk-|-cert-v01@openssh\.com$/.test(type)) {
    throw new SshSigError(
      'unsupported-key',
      `${what} is a ${type} key; security-key and certificate keys are not accepted: use ed25519, ecdsa or RSA (at least ${MIN_RSA_BITS} bits).`,
    );
  } else {
    throw new SshSigError(
      'unsupported-key',
      `${what} has type "${type.slice(0, 40)}"; accepted are ssh-ed25519, ecdsa-sha2-nistp256/384/521 and ssh-rsa (at least ${MIN_RSA_BITS} bits).`,
    );
  }
  r.end();
  if (!key) return r.fail('its key does not load');
  if (type === 'ssh-rsa' && bits < MIN_RSA_BITS)
    throw new SshSigError('weak-key', `${what} is a ${bits}-bit RSA key; RSA keys need at least ${MIN_RSA_BITS} bits.`);
  return { type: type as KeyType, blob: Buffer.from(blob), bits, fingerprint: fingerprintOf(blob), comment, key };
}

/** One OpenSSH public key line ("ssh-ed25519 AAAA… comment", as in id_ed25519.pub or authorized_keys). */
export function parsePublicKey(line: string): PublicKey {
  const text = line.trim();
  if (/^-----BEGIN/.test(text) || /PRIVATE KEY/.test(text))
    throw new SshSigError(
      'malformed-key',
      'This looks like a private key. Paste the public key (the .pub file, one line starting with ssh-ed25519, ecdsa-sha2-… or ssh-rsa) and keep the private key to yourself.',
    );
  if (/[\r\n]/.test(text)) throw new SshSigError('malformed-key', 'Give one public key, on one line.');
  const m = /^(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s+(.*))?$/.exec(text);
  if (!m)
    throw new SshSigError(
      'malformed-key',
      'This is not an OpenSSH public key line: expected "<type> <base64> [comment]", e.g. the contents of id_ed25519.pub.',
    );
  const [, type, base64, comment = ''] = m;
  const blob = Buffer.from(base64!, 'base64');
  const k = parseKeyBlob(blob, comment.trim());
  if (k.type !== type)
    throw new SshSigError('malformed-key', `The line names type ${type} but its key is of type ${k.type}.`);
  return k;
}

export interface SshSignature {
  publicKey: PublicKey;
  namespace: string;
  hashAlgorithm: string;
  /** The signature algorithm inside ("ssh-ed25519", "rsa-sha2-512", "ecdsa-sha2-nistp256"). */
  algorithm: string;
  signature: Buffer;
}

/** Reads an armoured SSHSIG signature (the .sig file `ssh-keygen -Y sign` writes). */
export function parseSignature(armoured: string): SshSignature {
  const text = armoured.replace(/\r\n/g, '\n').trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END))
    throw new SshSigError('malformed-signature', `The signature must be armoured: ${BEGIN} … ${END}.`);
  const body = text.slice(BEGIN.length, text.length - END.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body))
    throw new SshSigError('malformed-signature', 'The signature is malformed: its armour holds no base64.');
  const r = new Reader(Buffer.from(body, 'base64'), 'The signature', 'malformed-signature');
  if (!r.bytes(6).equals(MAGIC)) r.fail('it does not start with SSHSIG');
  const version = r.uint32();
  if (version !== 1) r.fail(`version ${version} (only version 1 exists)`);
  const keyBlob = r.string();
  const namespace = r.text();
  r.string(); // reserved
  const hashAlgorithm = r.text();
  const sig = new Reader(r.string(), 'The signature', 'malformed-signature');
  r.end();
  const algorithm = sig.text();
  const signature = sig.string();
  sig.end();
  let publicKey: PublicKey;
  try {
    publicKey = parseKeyBlob(keyBlob, '', "The signature's key");
  } catch (err) {
    if (err instanceof SshSigError && err.code === 'malformed-key')
      throw new SshSigError('malformed-signature', err.message);
    throw err;
  }
  return { publicKey, namespace, hashAlgorithm, algorithm, signature };
}

function signedData(namespace: string, hash: SigHash, message: Buffer): Buffer {
  return Buffer.concat([
    MAGIC,
    sshString(namespace),
    sshString(''),
    sshString(hash),
    sshString(crypto.createHash(hash).update(message).digest()),
  ]);
}

/** The signature algorithms a key type may use, with node's digest for each (null: the key's own, ed25519). */
function algorithmsFor(type: KeyType): Record<string, string | null> {
  if (type === 'ssh-ed25519') return { 'ssh-ed25519': null };
  if (type === 'ssh-rsa') return { 'rsa-sha2-512': 'sha512', 'rsa-sha2-256': 'sha256' };
  return { [type]: CURVES[type].hash };
}

/** "r || s" of an SSH ECDSA signature blob, fixed-size, as node's ieee-p1363 encoding wants it. */
function ecdsaP1363(type: EcdsaType, blob: Buffer): Buffer {
  const r = new Reader(blob, 'The ECDSA signature', 'malformed-signature');
  const n = CURVES[type].bytes;
  const parts = [r.mpint(), r.mpint()];
  r.end();
  return Buffer.concat(
    parts.map((p) => {
      if (p.length > n) throw new SshSigError('malformed-signature', 'The ECDSA signature has an oversized number.');
      return Buffer.concat([Buffer.alloc(n - p.length), p]);
    }),
  );
}

/**
 * Checks an SSHSIG signature over `message` in `namespace`. Throws SshSigError saying what is wrong:
 * another namespace, an unknown hash, or a signature that does not match the message. Which key signed
 * is the caller's question (see `findSigner`): this proves only that the key inside signed the message.
 */
export function verifySignature(sig: SshSignature, message: Buffer, namespace: string): void {
  if (sig.namespace !== namespace)
    throw new SshSigError(
      'mismatch',
      `The signature is for namespace "${sig.namespace.slice(0, 60)}", not "${namespace}" (sign with ssh-keygen -Y sign -n ${namespace}).`,
    );
  if (!(HASHES as readonly string[]).includes(sig.hashAlgorithm))
    throw new SshSigError(
      'malformed-signature',
      `The signature uses hash "${sig.hashAlgorithm.slice(0, 20)}"; only sha256 and sha512 exist.`,
    );
  const allowed = algorithmsFor(sig.publicKey.type);
  if (!(sig.algorithm in allowed))
    throw new SshSigError(
      'malformed-signature',
      `A ${sig.publicKey.type} key cannot make a "${sig.algorithm.slice(0, 40)}" signature${sig.algorithm === 'ssh-rsa' ? ' (RSA with SHA-1 is refused)' : ''}.`,
    );
  const data = signedData(namespace, sig.hashAlgorithm as SigHash, message);
  const digest = allowed[sig.algorithm]!;
  const ok =
    sig.publicKey.type === 'ssh-rsa' || sig.publicKey.type === 'ssh-ed25519'
      ? crypto.verify(digest, data, sig.publicKey.key, sig.signature)
      : crypto.verify(
          digest,
          data,
          { key: sig.publicKey.key, dsaEncoding: 'ieee-p1363' },
          ecdsaP1363(sig.publicKey.type, sig.signature),
        );
  if (!ok)
    throw new SshSigError('mismatch', 'The signature does not match the signed text: it was changed after signing.');
}

/** The registered key whose blob is the signature's key, if any (compared as bytes, like allowed_signers). */
export function findSigner<T extends { blob: Buffer }>(sig: SshSignature, keys: readonly T[]): T | undefined {
  return keys.find((k) => k.blob.equals(sig.publicKey.blob));
}

function armour(blob: Buffer): string {
  const b64 = blob.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

/** The blob of an ed25519 public key, from node's key object. */
export function ed25519Blob(publicKey: crypto.KeyObject): Buffer {
  const x = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return Buffer.concat([sshString('ssh-ed25519'), sshString(x)]);
}

/** Signs like `ssh-keygen -Y sign -n NAMESPACE -f ed25519-key` (sha512): the armoured text, ending in a newline. */
export function signEd25519(message: Buffer, privateKey: crypto.KeyObject, namespace: string): string {
  const pub = ed25519Blob(crypto.createPublicKey(privateKey));
  const sig = crypto.sign(null, signedData(namespace, 'sha512', message), privateKey);
  return armour(
    Buffer.concat([
      MAGIC,
      Buffer.from([0, 0, 0, 1]),
      sshString(pub),
      sshString(namespace),
      sshString(''),
      sshString('sha512'),
      sshString(Buffer.concat([sshString('ssh-ed25519'), sshString(sig)])),
    ]),
  );
}
