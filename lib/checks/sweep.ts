// The leftover sweep that ends every run. It deletes what the checks could not (their deletes
// in `finally` failed or never ran), and it looks for objects whose create got no usable answer
// (timeout, 5xx, garbled body) but may have been created anyway. It reports everything it found,
// deleted or not: a leftover in a customer's cloud must never go unmentioned.

import { describeError, type BarbicanClient } from '../openstack';
import type { RunContext } from './context';
import type { Leftover, LeftoverKind } from './types';

export async function sweepLeftovers(ctx: RunContext): Promise<Leftover[]> {
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
  const discovered = new Set<string>();
  for (const u of uncertain) {
    try {
      for (const found of await findByName(client, u.kind, u.name)) {
        if (ctx.tracker.get(found.kind, found.uuid)) continue;
        ctx.tracker.created(found.kind, found.uuid, u.name, u.createdBy);
        discovered.add(`${found.kind}/${found.uuid}`);
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
      ? 'its create got no usable answer, but Barbican had created it'
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

async function findByName(
  client: BarbicanClient,
  kind: LeftoverKind,
  name: string,
): Promise<Array<{ kind: LeftoverKind; uuid: string }>> {
  if (kind === 'secret') return (await client.listAllSecrets({ name })).map((s) => ({ kind, uuid: s.uuid }));
  if (kind === 'container') return (await client.listAllContainers({ name })).map((c) => ({ kind, uuid: c.uuid }));
  // An order that was created may already have produced its key, a secret with the same name.
  const orders = (await client.listAllOrders()).filter((o) => o.name === name).map((o) => ({ kind, uuid: o.uuid }));
  const keys = (await client.listAllSecrets({ name })).map((s) => ({ kind: 'secret' as const, uuid: s.uuid }));
  return [...orders, ...keys];
}
