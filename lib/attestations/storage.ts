import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { db, type Tx } from '../db';
import { AppError } from '../errors';
import { filesDirectory } from './config';
import { sha256Hex } from './digest';

/**
 * File contents are addressed by their SHA-256 and written once. Where they live is chosen at
 * upload: in PostgreSQL (bytea, the default) or, when ATTESTATION_FILES_DIR is set, in that
 * directory as <dir>/<first two hex digits>/<sha256>. Every read recomputes the hash and refuses
 * bytes that no longer match (IntegrityError).
 */
export class IntegrityError extends AppError {
  constructor(name: string) {
    super(
      'integrity_error',
      `The stored file "${name}" no longer matches its recorded SHA-256: it was altered or damaged after upload, so it is not served. The incident is logged; ask the operator to restore it.`,
      500,
    );
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

export function blobPath(dir: string, sha256: string): string {
  if (!HEX64.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return path.join(dir, sha256.slice(0, 2), sha256);
}

export interface PendingBlob {
  /** Removes a file this upload wrote when its transaction did not commit. */
  rollback(): Promise<void>;
}

/**
 * Stores the contents inside the caller's transaction. With a directory, the bytes are written
 * to a temporary file and renamed into place before the row is inserted; call `rollback()` when
 * the transaction fails, so nothing half-stored remains.
 */
export async function putBlob(tx: Tx, sha256: string, bytes: Uint8Array): Promise<PendingBlob> {
  const dir = filesDirectory();
  const existing = await tx.attestationBlob.findUnique({ where: { sha256 }, select: { sha256: true } });
  if (existing) return { rollback: async () => {} };
  if (!dir) {
    await tx.attestationBlob.createMany({
      data: [{ sha256, size: bytes.length, storage: 'db', content: Buffer.from(bytes) }],
      skipDuplicates: true,
    });
    return { rollback: async () => {} };
  }
  const target = blobPath(dir, sha256);
  let wrote = false;
  if (!fs.existsSync(target)) {
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    await fs.promises.writeFile(tmp, bytes, { mode: 0o600, flag: 'wx' });
    await fs.promises.rename(tmp, target);
    wrote = true;
  }
  await tx.attestationBlob.createMany({
    data: [{ sha256, size: bytes.length, storage: 'dir', content: null }],
    skipDuplicates: true,
  });
  return {
    rollback: async () => {
      if (!wrote) return;
      // Another upload of the same content may have committed meanwhile: keep the file then.
      const row = await db.attestationBlob.findUnique({ where: { sha256 }, select: { sha256: true } });
      if (!row) await fs.promises.rm(target, { force: true });
    },
  };
}

/** The verified contents of a blob; IntegrityError when missing or altered. */
export async function readBlob(sha256: string, displayName: string): Promise<Buffer> {
  const blob = await db.attestationBlob.findUnique({ where: { sha256 } });
  if (!blob) throw new IntegrityError(displayName);
  let bytes: Buffer;
  if (blob.storage === 'db') {
    if (!blob.content) throw new IntegrityError(displayName);
    bytes = Buffer.from(blob.content);
  } else {
    const dir = filesDirectory();
    if (!dir)
      throw new AppError(
        'storage_unavailable',
        'Evidence files are stored in a directory, but ATTESTATION_FILES_DIR is not set.',
        500,
      );
    try {
      bytes = await fs.promises.readFile(blobPath(dir, sha256));
    } catch {
      throw new IntegrityError(displayName);
    }
  }
  if (bytes.length !== blob.size || sha256Hex(bytes) !== sha256) throw new IntegrityError(displayName);
  return bytes;
}
