// Bookkeeping of every cloud object a run creates, so that the leftover sweep knows what to
// delete and, above all, when it must look: a create whose answer never arrived (timeout, 5xx,
// garbled body) may still have created the object, so its name is remembered as "uncertain".

import { HttpStatusError, TransportError, type TransportFailure } from '../openstack';
import type { LeftoverKind } from './types';

export interface TrackedObject {
  kind: LeftoverKind;
  uuid: string;
  name: string | null;
  createdBy: string;
  deleted: boolean;
  /** Why the last delete attempt failed. */
  deleteError?: string;
  /** A delete that Barbican's policy refuses for this credential (403); the sweep cannot do better. */
  deleteForbidden?: boolean;
}

export interface UncertainCreate {
  kind: LeftoverKind;
  name: string;
  createdBy: string;
  reason: string;
  /** When the create failed (ms since the epoch). */
  failedAt: number;
  /**
   * No answer at all (a timeout, a connection cut after the request was sent): the cloud may
   * still be working on it, so the object may appear later. Otherwise the cloud answered (5xx,
   * garbled body) and anything it created exists already.
   */
  mayLandLater: boolean;
  /** Why the sweep deleted it when it found it. */
  foundReason: string;
}

/** Transport failures after which the request may still be in the cloud's hands. */
const IN_FLIGHT: ReadonlySet<TransportFailure> = new Set([
  'headers-timeout',
  'body-timeout',
  'deadline',
  'truncated',
  'network',
  'aborted',
]);

export class ObjectTracker {
  private readonly objects = new Map<string, TrackedObject>();
  private readonly uncertain: UncertainCreate[] = [];

  private key(kind: LeftoverKind, uuid: string): string {
    return `${kind}/${uuid}`;
  }

  created(kind: LeftoverKind, uuid: string, name: string | null, createdBy: string): void {
    this.objects.set(this.key(kind, uuid), { kind, uuid, name, createdBy, deleted: false });
  }

  /** A create failed: unless Barbican clearly refused it (4xx), the object may exist anyway. */
  createFailed(kind: LeftoverKind, name: string, createdBy: string, err: unknown): void {
    if (err instanceof HttpStatusError && err.status >= 400 && err.status < 500) return;
    this.uncertain.push({
      kind,
      name,
      createdBy,
      reason: err instanceof Error ? err.message : String(err),
      failedAt: Date.now(),
      mayLandLater: err instanceof TransportError && IN_FLIGHT.has(err.failure),
      foundReason: 'its create got no usable answer, but Barbican had created it',
    });
  }

  /** An object the check may have caused without seeing it (an order's key): the sweep looks for it by name. */
  mayExist(kind: LeftoverKind, name: string, createdBy: string, reason: string): void {
    this.uncertain.push({
      kind,
      name,
      createdBy,
      reason,
      failedAt: Date.now(),
      mayLandLater: false,
      foundReason: `${reason}, and it had`,
    });
  }

  deleted(kind: LeftoverKind, uuid: string): void {
    const o = this.objects.get(this.key(kind, uuid));
    if (o) {
      o.deleted = true;
      delete o.deleteError;
      delete o.deleteForbidden;
    }
  }

  deleteFailed(kind: LeftoverKind, uuid: string, err: unknown): void {
    const o = this.objects.get(this.key(kind, uuid));
    if (!o) return;
    o.deleteError = err instanceof Error ? err.message : String(err);
    o.deleteForbidden = err instanceof HttpStatusError && err.status === 403;
  }

  get(kind: LeftoverKind, uuid: string): TrackedObject | undefined {
    return this.objects.get(this.key(kind, uuid));
  }

  /** Objects created and not (yet) confirmed deleted. */
  remaining(): TrackedObject[] {
    return [...this.objects.values()].filter((o) => !o.deleted);
  }

  uncertainCreates(): UncertainCreate[] {
    return [...this.uncertain];
  }

  all(): TrackedObject[] {
    return [...this.objects.values()];
  }
}
