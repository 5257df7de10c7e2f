import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  SshSigError,
  ed25519Blob,
  findSigner,
  keyLine,
  parsePublicKey,
  parseSignature,
  signEd25519,
  verifySignature,
} from './sshsig';

// Keys and signatures made by ssh-keygen (OpenSSH 9.2p1); see the fixtures' README.
const FIXTURES = path.resolve(import.meta.dirname, '../../tests/unit/fixtures/sshsig');
const read = (f: string) => fs.readFileSync(path.join(FIXTURES, f), 'utf8');
const message = fs.readFileSync(path.join(FIXTURES, 'message.yaml'));
const printed = new Map(
  read('fingerprints.txt')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([bits, fp, type]) => [fp!, { bits: Number(bits), type: type! }]),
);

const GOOD = ['ed25519', 'ecdsa256', 'ecdsa384', 'ecdsa521', 'rsa3072'] as const;

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof SshSigError) return err.code;
    throw err;
  }
  return undefined;
}

describe('OpenSSH public keys', () => {
  test.each(GOOD)('%s: type, size and fingerprint as ssh-keygen -l prints them', (name) => {
    const k = parsePublicKey(read(`${name}.pub`));
    expect(printed.get(k.fingerprint)?.bits).toBe(k.bits);
    expect(k.comment).toBe(`${name}@fixture`);
    expect(keyLine(k)).toBe(read(`${name}.pub`).split(' ').slice(0, 2).join(' '));
  });

  test('a 2048-bit RSA key is refused as too weak', () => {
    expect(() => parsePublicKey(read('rsa2048.pub'))).toThrow(/2048-bit RSA key; RSA keys need at least 3072 bits/);
  });

  test.each([
    ['', 'malformed-key'],
    ['ssh-ed25519', 'malformed-key'],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2JUY', 'malformed-key'],
    ['ssh-rsa ' + read('ed25519.pub').split(' ')[1], 'malformed-key'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'malformed-key'],
    [`ssh-dss ${Buffer.from('\0\0\0\x07ssh-dss').toString('base64')}`, 'unsupported-key'],
    [
      `sk-ssh-ed25519@openssh.com ${Buffer.from('\0\0\0\x1ask-ssh-ed25519@openssh.com').toString('base64')}`,
      'unsupported-key',
    ],
    [read('ed25519.pub').trim() + '\nssh-ed25519 AAAA', 'malformed-key'],
  ])('refuses %j (%s)', (line, expected) => {
    expect(code(() => parsePublicKey(line))).toBe(expected);
  });

  test('a key blob with bytes after its end is refused', () => {
    const k = parsePublicKey(read('ed25519.pub'));
    const line = `ssh-ed25519 ${Buffer.concat([k.blob, Buffer.from([0])]).toString('base64')}`;
    expect(() => parsePublicKey(line)).toThrow(/1 bytes follow its end/);
  });
});

describe('SSHSIG signatures made by ssh-keygen -Y sign -n report', () => {
  test.each([...GOOD, 'rsa3072-sha256'])('%s verifies against the signed text', (name) => {
    const sig = parseSignature(read(`${name}.report.sig`));
    expect(sig.namespace).toBe('report');
    verifySignature(sig, message, 'report');
    const key = parsePublicKey(read(`${name.replace('-sha256', '')}.pub`));
    expect(findSigner(sig, [key])).toBe(key);
  });

  test('RSA signatures are rsa-sha2-512 (default) or rsa-sha2-256, hash sha512 or sha256', () => {
    expect(parseSignature(read('rsa3072.report.sig'))).toMatchObject({
      algorithm: 'rsa-sha2-512',
      hashAlgorithm: 'sha512',
    });
    expect(parseSignature(read('rsa3072-sha256.report.sig'))).toMatchObject({ hashAlgorithm: 'sha256' });
  });

  test.each(GOOD)('%s: one changed byte of the text fails', (name) => {
    const sig = parseSignature(read(`${name}.report.sig`));
    const tampered = Buffer.from(message);
    tampered[tampered.length - 3] ^= 1;
    expect(code(() => verifySignature(sig, tampered, 'report'))).toBe('mismatch');
    expect(code(() => verifySignature(sig, Buffer.concat([message, Buffer.from('\n')]), 'report'))).toBe('mismatch');
  });

  test.each(GOOD)('%s: a flipped bit in the signature fails or is malformed', (name) => {
    const text = read(`${name}.report.sig`);
    const lines = text.trim().split('\n');
    const raw = Buffer.from(lines.slice(1, -1).join(''), 'base64');
    raw[raw.length - 5] ^= 0x10;
    const armoured = `${lines[0]}\n${raw.toString('base64')}\n${lines.at(-1)}\n`;
    expect(['mismatch', 'malformed-signature']).toContain(
      code(() => verifySignature(parseSignature(armoured), message, 'report')),
    );
  });

  test('another namespace is refused by name', () => {
    const sig = parseSignature(read('ed25519.file.sig'));
    expect(() => verifySignature(sig, message, 'report')).toThrow(/namespace "file", not "report"/);
  });

  test('a signature by a key that is not registered has no signer', () => {
    const sig = parseSignature(read('ed25519.report.sig'));
    expect(
      findSigner(sig, [parsePublicKey(read('ecdsa256.pub')), parsePublicKey(read('rsa3072.pub'))]),
    ).toBeUndefined();
  });

  test('a signature made with a weak RSA key is refused before verification', () => {
    expect(() => parseSignature(read('rsa2048.report.sig'))).toThrow(/2048-bit RSA key/);
  });

  test.each([
    ['no armour', 'U1NIU0lH'],
    ['no end line', '-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n'],
    ['not SSHSIG', '-----BEGIN SSH SIGNATURE-----\nQUJDREVG\n-----END SSH SIGNATURE-----\n'],
    ['truncated', read('ed25519.report.sig').replace(/\n[^\n]+\n-----END/, '\n-----END')],
    ['not base64', '-----BEGIN SSH SIGNATURE-----\n!!!\n-----END SSH SIGNATURE-----\n'],
  ])('malformed: %s', (_what, text) => {
    expect(code(() => parseSignature(text))).toBe('malformed-signature');
  });

  test('an ed25519 signature relabelled as another algorithm is refused', () => {
    const sig = parseSignature(read('ed25519.report.sig'));
    expect(() => verifySignature({ ...sig, algorithm: 'rsa-sha2-512' }, message, 'report')).toThrow(/cannot make/);
    expect(() => verifySignature({ ...sig, hashAlgorithm: 'md5' }, message, 'report')).toThrow(/hash "md5"/);
  });
});

describe('our own signatures (the instance key)', () => {
  test('round-trip: signed by signEd25519, read and verified by the parser', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const armoured = signEd25519(message, privateKey, 'report');
    expect(armoured).toMatch(/^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/=]{1,70}\n)+-----END SSH SIGNATURE-----\n$/);
    const sig = parseSignature(armoured);
    verifySignature(sig, message, 'report');
    expect(sig.publicKey.blob.equals(ed25519Blob(publicKey))).toBe(true);
    expect(code(() => verifySignature(sig, Buffer.from('other'), 'report'))).toBe('mismatch');
  });

  test('deterministic: the same text gives the same bytes (ed25519)', () => {
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    expect(signEd25519(message, privateKey, 'report')).toBe(signEd25519(message, privateKey, 'report'));
  });
});
