import type { Binding, Envelope } from './envelope';
import { VaultError } from './errors';
import type { Kek } from './kek';
import type { Vault } from './vault';

/** A stored envelope with its record id and binding, as the rotation reads it. */
export interface StoredEnvelope extends Envelope {
  id: string;
  binding: Binding;
}

/**
 * Where envelopes live (lib/credentials implements it for credentials, lib/notify for webhook
 * signing secrets, on PostgreSQL). The vault stays free of the database: rotation only needs to
 * page through records not yet under the target KEK and to swap a wrapped key if, and only if,
 * the record is still the one that was read.
 */
export interface EnvelopeStore {
  /** What its records are, for messages: "credential", "webhook signing secret". */
  label: string;
  /** Up to `limit` records whose kekId is not `targetKekId`, ordered by id, after `afterId`. */
  pending(targetKekId: string, afterId: string | null, limit: number): Promise<StoredEnvelope[]>;
  /**
   * Replace wrapped keys in one transaction; each update applies only when the record still has
   * its old kekId and wrapped key (a record replaced meanwhile is left alone). Returns how many applied.
   */
  swap(
    updates: Array<{
      id: string;
      oldKekId: string;
      oldWrappedKey: Buffer;
      wrappedKey: Buffer;
      kekId: string;
    }>,
  ): Promise<number>;
  /** Number of records per KEK id. */
  countByKek(): Promise<Record<string, number>>;
  /** One record wrapped by the KEK (the start-up check unwraps it), or null. */
  sample(kekId: string): Promise<StoredEnvelope | null>;
}

export interface RotationProgress {
  batch: number;
  rewrapped: number;
  skipped: number;
  failed: Array<{ id: string; kekId: string; message: string }>;
}

export interface RotateOptions {
  batchSize?: number;
  /** Pause between batches, to go easy on a database that is serving the app. */
  pauseMs?: number;
  onBatch?: (p: RotationProgress) => void;
}

/**
 * Re-wrap every data key that is not under `to` so that it is. Runs in batches, each committed on
 * its own, and selects by "kekId is not the target", so an interrupted rotation resumes where it
 * stopped just by running again. The app may keep serving meanwhile: it reads old and new KEKs
 * alike, and a record it replaces during the rotation is skipped (compare-and-swap), not clobbered.
 * Records that cannot be unwrapped are reported, never changed.
 */
export async function rotate(
  vault: Vault,
  store: EnvelopeStore,
  to: Kek,
  opts: RotateOptions = {},
): Promise<RotationProgress> {
  const batchSize = opts.batchSize ?? 100;
  const progress: RotationProgress = { batch: 0, rewrapped: 0, skipped: 0, failed: [] };
  let after: string | null = null;
  for (;;) {
    const rows = await store.pending(to.id, after, batchSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const updates = [];
    for (const r of rows) {
      try {
        const next = await vault.rewrap(r, r.binding, to);
        updates.push({ id: r.id, oldKekId: r.kekId, oldWrappedKey: r.wrappedKey, ...next });
      } catch (err) {
        if (!(err instanceof VaultError)) throw err;
        progress.failed.push({ id: r.id, kekId: r.kekId, message: err.message });
      }
    }
    const applied = updates.length ? await store.swap(updates) : 0;
    progress.batch++;
    progress.rewrapped += applied;
    progress.skipped += updates.length - applied;
    opts.onBatch?.({ ...progress, failed: [...progress.failed] });
    if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
  }
  return progress;
}
