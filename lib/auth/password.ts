import crypto from 'node:crypto';
import { promisify } from 'node:util';

// Node's scrypt with a per-user random salt; parameters are stored with the hash, so they can be
// raised later: a hash with weaker parameters verifies as before and is replaced at the next
// successful sign-in (`needsRehash`).
const scrypt = promisify(crypto.scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;
/** N = 2^17, r = 8: 128 MiB and a few hundred milliseconds per hash (OWASP's scrypt minimum). */
export const SCRYPT_N = 1 << 17;
const R = 8,
  P = 1,
  LEN = 32;
/** Highest cost a stored hash may ask for (a hash with a huge N must not exhaust memory). */
const MAX_N = 1 << 20;

/** Memory one hash needs (128 · N · r bytes) plus slack; Node refuses more than maxmem. */
const maxmem = (n: number, r: number) => 128 * n * r + 16 * 1024 * 1024;

// Each hash holds 128 MiB while it runs: two at a time bound the process's memory whatever the number
// of parallel sign-ins (the others wait their turn; the sign-in limiter bounds them per account).
const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function costly<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function derive(password: string, salt: Buffer, len: number, n: number, r: number, p: number): Promise<Buffer> {
  return costly(() => scrypt(password, salt, len, { N: n, r, p, maxmem: maxmem(n, r) }));
}

export const MIN_PASSWORD_LENGTH = 12;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await derive(password, salt, LEN, SCRYPT_N, R, P);
  return `scrypt$${SCRYPT_N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

function parse(stored: string): { n: number; r: number; p: number; salt: Buffer; hash: Buffer } | null {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  const N = Number(n),
    rr = Number(r),
    pp = Number(p);
  if (scheme !== 'scrypt' || !hash || !salt) return null;
  if (!Number.isInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0) return null;
  if (!Number.isInteger(rr) || rr < 1 || rr > 32 || !Number.isInteger(pp) || pp < 1 || pp > 16) return null;
  const key = Buffer.from(hash, 'base64');
  // A short (or empty) stored key would compare equal to a short derived one: refuse such a hash.
  if (key.length < 16) return null;
  return { n: N, r: rr, p: pp, salt: Buffer.from(salt, 'base64'), hash: key };
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parsed = stored ? parse(stored) : null;
  if (!parsed) {
    // Same work as a real check, so an unknown account is not told apart by timing.
    await derive(password, crypto.randomBytes(16), LEN, SCRYPT_N, R, P);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.hash.length, parsed.n, parsed.r, parsed.p);
  return crypto.timingSafeEqual(key, parsed.hash);
}

/** Whether a stored hash uses weaker parameters than new hashes do (then it is replaced at sign-in). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.n < SCRYPT_N || parsed.r < R || parsed.hash.length < LEN;
}

export function generatePassword(): string {
  return crypto.randomBytes(15).toString('base64url');
}
