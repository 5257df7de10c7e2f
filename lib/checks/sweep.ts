// The leftover sweep that ends every run. It deletes what the checks could not (their deletes
// in `finally` failed or never ran), and it looks for objects whose create got no usable answer
// (timeout, 5xx, garbled body) but may have been created anyway. A create that got no answer at
// all may still be on its way (the cloud was slow, not dead): the sweep watches for it, looking
// up its exact name with growing pauses, until the run's lateCreateMs have passed since the
// create gave up. It reports everything it found, deleted or not: a leftover in a customer's
// cloud must never go unmentioned.

import { describeError, type BarbicanClient } from '../openstack';
import type { RunContext } from './context';
import type { UncertainCreate } from './objects';
import { sleep } from './testcases/shared';
import type { Leftover, LeftoverKind } from './types';

const FIRST_PAUSE_MS = 1_000;
const LONGEST_PAUSE_MS = 8_000;

export interface SweepOutcome {
  leftovers: Leftover[];
  /** Things a person should know that are not (known) leftovers, e.g. a create that never showed up. */
  notes: string[];
}

export async function sweepLeftovers(ctx: RunContext): Promise<SweepOutcome> {
  const notes: string[] = [];
  const leftovers = await sweep(ctx, notes);
  return { leftovers, notes };
}

async function sweep(ctx: RunContext, notes: string[]): Promise<Leftover[]> {
  const uncertain = ctx.tracker.uncertainCreates();
  if (ctx.tracker.remaining().length === 0 && uncertain.length === 0) return [];

  let client: BarbicanClient;
  try {
    const km = await ctx.keyManager();
    if (!km.present) return unreachable(ctx, 'the key-manager endpoint is no longer known');
    // No cancel signal: a cancelled run still cleans up, bounded by the HTTP timeouts.
    client = km.client.withSession(await ctx.session(), undefined);
  } catch (err) {
    return unreachable(ctx, describeError(err));
  }

  const leftovers: Leftover[] = [];
  const discovered = new Map<string, string>();
  for (const u of uncertain) {
    try {
      const found = await watchFor(ctx, client, u);
      for (const f of found) {
        ctx.tracker.created(f.kind, f.uuid, u.name, u.createdBy);
        discovered.set(`${f.kind}/${f.uuid}`, u.foundReason);
      }
      if (found.length === 0 && u.mayLandLater) {
        notes.push(
          ctx.http.redactor.text(
            `A create of ${u.kind} "${u.name}" got no answer (${u.reason}) and nothing of that name appeared within ${Math.round(ctx.limits.lateCreateMs / 1000)} s; should it appear later, a later run deletes it (the official test secret by its name, other test objects once they are an hour old).`,
          ),
        );
      }
    } catch (err) {
      leftovers.push({
        kind: u.kind,
        uuid: '(unknown)',
        name: u.name,
        createdBy: u.createdBy,
        deleted: false,
        reason: ctx.http.redactor.text(
          `a create got no usable answer (${u.reason}) and the sweep could not list ${u.kind}s to find out whether it happened: ${describeError(err)}`,
        ),
      });
    }
  }

  for (const o of ctx.tracker.remaining()) {
    const why = discovered.has(`${o.kind}/${o.uuid}`)
      ? discovered.get(`${o.kind}/${o.uuid}`)!
      : o.deleteError
        ? `its check could not delete it (${o.deleteError})`
        : o.createdBy === 'an earlier run'
          ? 'left behind by an earlier run'
          : 'its check did not delete it';
    if (o.kind === 'order' && o.deleteForbidden) {
      leftovers.push({
        ...pick(o),
        deleted: false,
        keptByPolicy: true,
        reason: `${why}; Barbican's policy lets only admins delete orders (the order holds no key material)`,
      });
      continue;
    }
    try {
      await ctx.deleteTracked(o.kind, o.uuid, client);
      leftovers.push({ ...pick(o), deleted: true, reason: why });
    } catch (err) {
      leftovers.push({
        ...pick(o),
        deleted: false,
        reason: ctx.http.redactor.text(`${why}; the sweep could not delete it either: ${describeError(err)}`),
      });
    }
  }
  return leftovers;
}

function pick(o: { kind: LeftoverKind; uuid: string; name: string | null; createdBy: string }) {
  return { kind: o.kind, uuid: o.uuid, name: o.name, createdBy: o.createdBy };
}

function unreachable(ctx: RunContext, reason: string): Leftover[] {
  const out: Leftover[] = ctx.tracker.remaining().map((o) => ({
    ...pick(o),
    deleted: false,
    reason: ctx.http.redactor.text(`the sweep could not reach the key manager: ${reason}`),
  }));
  for (const u of ctx.tracker.uncertainCreates()) {
    out.push({
      kind: u.kind,
      uuid: '(unknown)',
      name: u.name,
      createdBy: u.createdBy,
      deleted: false,
      reason: ctx.http.redactor.text(
        `a create got no usable answer (${u.reason}); the sweep could not reach the key manager to check: ${reason}`,
      ),
    });
  }
  return out;
}

/**
 * Untracked objects of the create's exact name; for a create that may land later, watch until it
 * appears or the time is up.
 */
async function watchFor(
  ctx: RunContext,
  client: BarbicanClient,
  u: UncertainCreate,
): Promise<Array<{ kind: LeftoverKind; uuid: string }>> {
  const until = u.mayLandLater ? u.failedAt + ctx.limits.lateCreateMs : 0;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    const found = (await findByName(client, u.kind, u.name)).filter((f) => !ctx.tracker.get(f.kind, f.uuid));
    const left = until - Date.now();
    if (found.length > 0 || left <= 0) return found;
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  }
}

/** Barbican's name filter is an SQL LIKE (case-insensitive, with wildcards): only exact names count. */
async function findByName(
  client: BarbicanClient,
  kind: LeftoverKind,
  name: string,
): Promise<Array<{ kind: LeftoverKind; uuid: string }>> {
  const exact = <T extends { name: string | null; uuid: string }>(items: T[], k: LeftoverKind) =>
    items.filter((i) => i.name === name).map((i) => ({ kind: k, uuid: i.uuid }));
  if (kind === 'secret') return exact(await client.listAllSecrets({ name }), 'secret');
  if (kind === 'container') return exact(await client.listAllContainers({ name }), 'container');
  // An order that was created may already have produced its key, a secret with the same name.
  const orders = exact(await client.listAllOrders(), 'order');
  const keys = exact(await client.listAllSecrets({ name }), 'secret');
  return [...orders, ...keys];
}
