// Small helpers shared by the testcases.

import type { BarbicanClient, EndpointAbsence, Interface } from '../../openstack';
import type { CheckContext } from '../context';
import type { Expectations } from '../situations';
import type { LeftoverKind } from '../types';

/** The situations in which the official pre-flight ABORTs every testcase that honours it. */
export const PREFLIGHT_ABORTS: Expectations = {
  reader: 'ABORT',
  admin: 'ABORT',
  manager: 'ABORT',
  'wrong-password': 'ABORT',
  'no-project': 'ABORT',
};

/** "region A" / "regions A and B" / "regions A, B and C". */
export function listRegions(regions: string[]): string {
  if (regions.length === 1) return `region ${regions[0]}`;
  return `regions ${regions.slice(0, -1).join(', ')} and ${regions[regions.length - 1]}`;
}

/** A random text/plain payload (hex, so it survives any content handling unchanged). */
export function randomTextPayload(ctx: CheckContext, bytes = 16): string {
  return ctx.randomBytes(bytes).toString('hex');
}

/**
 * Delete in a `finally`: never throws, returns the error (if any) so the check can judge it.
 * The object stays in the tracker as not deleted, so the sweep retries and reports it.
 */
export async function deleteAndReport(
  ctx: CheckContext,
  kind: LeftoverKind,
  uuid: string,
  client: BarbicanClient,
): Promise<unknown> {
  try {
    await ctx.deleteTracked(kind, uuid, client);
    return undefined;
  } catch (err) {
    return err;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Why the key-manager of the catalog cannot be used from the region and interface under test, as a
 * clause: "in region R it has only internal and admin endpoints, no public one".
 */
export function describeAbsence(absence: EndpointAbsence, iface: Interface, region: string | undefined): string {
  const where = region ? `region ${region}` : 'any region';
  switch (absence.cause) {
    case 'not-in-catalog':
      return 'the catalog lists no key-manager service';
    case 'no-endpoints':
      return "the key-manager service has no endpoints in the token's catalog (Keystone leaves disabled endpoints out)";
    case 'other-interfaces':
      return `in ${where} it has only ${andList(absence.interfaces)} endpoints, no ${iface} one`;
    case 'other-regions':
      return `its endpoints are only in ${absence.regions.length === 1 ? 'region' : 'regions'} ${andList(
        absence.regions.map((r) => `${r.region} (${r.interfaces.join(', ')})`),
      )}, not in ${where}`;
  }
}

function andList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
