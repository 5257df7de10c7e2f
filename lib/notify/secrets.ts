// Webhook signing secrets: shown once at creation, stored only sealed by the vault (an envelope bound
// to the webhook's id and to the purpose "webhook-signing-secret", so it opens for nothing else),
// opened only to sign a delivery. The format is Standard Webhooks': "whsec_" and the base64 of the
// key bytes (32 random bytes; secrets made before were 24 bytes in base64url, which decodes alike).
import { randomBytes } from 'node:crypto';
import { db } from '../db';
import type { Envelope, EnvelopeStore, RecordBinding, StoredEnvelope } from '../vault';
// The one vault instance lives in lib/credentials: a room cycle (notify -> credentials -> compliance -> notify)
// left to untangle by moving getVault into lib/vault.
// eslint-disable-next-line import/no-restricted-paths
import { getVault } from '../credentials/vault';

export const WEBHOOK_SECRET_PURPOSE = 'webhook-signing-secret';
const PREFIX = 'whsec_';

export function webhookSecretBinding(webhookId: string): RecordBinding {
  return { purpose: WEBHOOK_SECRET_PURPOSE, recordId: webhookId };
}

export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

/**
 * The HMAC key of a secret, as Standard Webhooks libraries read it: the base64 after "whsec_"
 * (Node decodes the base64url of secrets made before alike).
 */
export function signingKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

/** The Webhook columns that hold a sealed secret. */
export interface SealedSecretColumns {
  secretCiphertext: Uint8Array<ArrayBuffer>;
  secretNonce: Uint8Array<ArrayBuffer>;
  secretTag: Uint8Array<ArrayBuffer>;
  secretWrappedKey: Uint8Array<ArrayBuffer>;
  secretKekId: string;
  secretFormatVersion: number;
}

export function sealedColumns(e: Envelope): SealedSecretColumns {
  return {
    secretCiphertext: new Uint8Array(e.ciphertext),
    secretNonce: new Uint8Array(e.nonce),
    secretTag: new Uint8Array(e.tag),
    secretWrappedKey: new Uint8Array(e.wrappedKey),
    secretKekId: e.kekId,
    secretFormatVersion: e.formatVersion,
  };
}

function envelopeOf(row: { id: string } & SealedSecretColumns): StoredEnvelope {
  return {
    id: row.id,
    binding: webhookSecretBinding(row.id),
    ciphertext: Buffer.from(row.secretCiphertext),
    nonce: Buffer.from(row.secretNonce),
    tag: Buffer.from(row.secretTag),
    wrappedKey: Buffer.from(row.secretWrappedKey),
    kekId: row.secretKekId,
    formatVersion: row.secretFormatVersion,
  };
}

export async function sealWebhookSecret(webhookId: string, secret: string): Promise<SealedSecretColumns> {
  const plain = Buffer.from(secret, 'utf8');
  try {
    return sealedColumns(await getVault().seal(plain, webhookSecretBinding(webhookId)));
  } finally {
    plain.fill(0);
  }
}

export async function openWebhookSecret(row: { id: string } & SealedSecretColumns): Promise<string> {
  const e = envelopeOf(row);
  const plain = await getVault().open(e, e.binding);
  try {
    return plain.toString('utf8');
  } finally {
    plain.fill(0);
  }
}

const sealedSelect = {
  id: true,
  secretCiphertext: true,
  secretNonce: true,
  secretTag: true,
  secretWrappedKey: true,
  secretKekId: true,
  secretFormatVersion: true,
} as const;

/** The webhook secrets' side of the vault: rotation, `npm run vault -- status`, the start-up check. */
export const webhookSecretStore: EnvelopeStore = {
  label: 'webhook signing secret',
  async pending(targetKekId, afterId, limit) {
    const rows = await db.webhook.findMany({
      where: { secretKekId: { not: targetKekId }, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: 'asc' },
      take: limit,
      select: sealedSelect,
    });
    return rows.map(envelopeOf);
  },
  async swap(updates) {
    return db.$transaction(async (tx) => {
      let applied = 0;
      for (const u of updates) {
        const r = await tx.webhook.updateMany({
          where: {
            id: u.id,
            secretKekId: u.oldKekId,
            secretWrappedKey: { equals: new Uint8Array(u.oldWrappedKey) },
          },
          data: { secretWrappedKey: new Uint8Array(u.wrappedKey), secretKekId: u.kekId },
        });
        applied += r.count;
      }
      return applied;
    });
  },
  async countByKek() {
    const groups = await db.webhook.groupBy({ by: ['secretKekId'], _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.secretKekId, g._count._all]));
  },
  async sample(kekId) {
    const row = await db.webhook.findFirst({ where: { secretKekId: kekId }, select: sealedSelect });
    return row ? envelopeOf(row) : null;
  },
};
