// This instance's own ed25519 key, which signs the reports it emits (GET /api/v1/runs/{id}/report?format=
// signed-yaml, forwarding to a compliance monitor) as the official runner signs its own. Created at the first
// start, kept sealed by the vault (lib/interop/sealed.ts); the public key is published at
// GET /api/v1/signing-key as one OpenSSH line, for monitors to register.

import crypto from 'node:crypto';
import os from 'node:os';
import { db } from '../db';
import { config } from '../config';
import { INSTANCE_OWNER, openSecret, sealSecret } from './sealed';
import { ed25519Blob, fingerprintOf, signEd25519 } from './sshsig';

const PURPOSE = 'instance-signing-key';

export interface InstanceKey {
  /** "ssh-ed25519 AAAA… comment". */
  publicKey: string;
  fingerprint: string;
  sign(message: Buffer, namespace: string): string;
}

const g = globalThis as unknown as { scsInstanceKey?: Promise<InstanceKey> };

function comment(): string {
  const configured = config().PUBLIC_URL;
  const host = configured ? new URL(configured).host : os.hostname();
  return `scs-km-conformance@${host.replace(/[^\w.:-]/g, '')}`;
}

/** Creates the key unless it exists (start-up; safe when several processes start at once). True: created now. */
export async function ensureSigningKey(): Promise<{ created: boolean; publicKey: string }> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('scs-instance-signing-key'))`;
    const existing = await tx.sealedSecret.findUnique({
      where: { purpose_ownerId: { purpose: PURPOSE, ownerId: INSTANCE_OWNER } },
      select: { publicPart: true },
    });
    if (existing?.publicPart) return { created: false, publicKey: existing.publicPart };
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const line = `ssh-ed25519 ${ed25519Blob(publicKey).toString('base64')} ${comment()}`;
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    try {
      await sealSecret(tx, PURPOSE, INSTANCE_OWNER, der, line);
    } finally {
      der.fill(0);
    }
    return { created: true, publicKey: line };
  });
}

async function load(): Promise<InstanceKey> {
  let der = await openSecret(PURPOSE, INSTANCE_OWNER);
  if (!der) {
    await ensureSigningKey();
    der = await openSecret(PURPOSE, INSTANCE_OWNER);
  }
  if (!der) throw new Error('the instance signing key could not be created');
  const row = await db.sealedSecret.findUniqueOrThrow({
    where: { purpose_ownerId: { purpose: PURPOSE, ownerId: INSTANCE_OWNER } },
    select: { publicPart: true },
  });
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
  const publicKey = row.publicPart!;
  return {
    publicKey,
    fingerprint: fingerprintOf(ed25519Blob(crypto.createPublicKey(privateKey))),
    sign: (message, namespace) => signEd25519(message, privateKey, namespace),
  };
}

/** The instance key, loaded once per process (the private key stays in memory, like the KEK). */
export function instanceKey(): Promise<InstanceKey> {
  g.scsInstanceKey ??= load().catch((err) => {
    g.scsInstanceKey = undefined;
    throw err;
  });
  return g.scsInstanceKey;
}

/** Tests replace the database between files. */
export function forgetInstanceKey(): void {
  g.scsInstanceKey = undefined;
}
