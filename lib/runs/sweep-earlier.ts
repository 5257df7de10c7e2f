// Leftovers of interrupted runs. A run whose worker died (even by SIGKILL) cannot clean up after
// itself; its name prefix is stored on the run row before any object is created, so the next
// run of the same cloud lists the project's secrets, containers and orders, deletes whatever
// carries one of those prefixes, and records what it found on the interrupted runs.

import { db } from '../db';
import { OFFICIAL_TEST_SECRET_NAME } from '../checks';
import { RunContext } from '../checks/context';
import { describeError, HttpStatusError, type BarbicanClient } from '../openstack';
import type { CloudConfig, Evidence, Leftover, LeftoverKind } from '../checks/types';
import { now as clockNow } from '../clock';

export interface EarlierSweep {
  /** The interrupted runs whose prefixes were looked for. */
  runs: Array<{ id: string; namePrefix: string }>;
  found: Leftover[];
  /** False when the key manager could not be listed: the runs stay unswept for the next try. */
  complete: boolean;
  error?: string;
  evidence: Evidence[];
}

export async function sweepEarlierRuns(
  cloudId: string,
  config: CloudConfig,
  currentRunId: string,
  signal?: AbortSignal,
): Promise<EarlierSweep | null> {
  const earlier = await db.run.findMany({
    where: { cloudId, status: 'interrupted', sweptAt: null, namePrefix: { not: null }, id: { not: currentRunId } },
    select: { id: true, namePrefix: true },
    orderBy: { queuedAt: 'asc' },
    take: 50,
  });
  if (earlier.length === 0) return null;
  const runs = earlier.map((r) => ({ id: r.id, namePrefix: r.namePrefix! }));
  const evidence: Evidence[] = [];
  const ctx = new RunContext(
    {
      cloud: config,
      signal,
      onEvent: (e) => {
        if (e.type === 'exchange') evidence.push(e.evidence);
      },
    },
    `sweep${currentRunId.replace(/-/g, '').slice(0, 8)}`,
  );
  const found: Leftover[] = [];
  let complete = true;
  let error: string | undefined;
  try {
    const km = await ctx.keyManager();
    if (!km.present) throw new Error('the key-manager endpoint is not in the catalog');
    const client = km.client.withSession(await ctx.session(), undefined);
    const matches = (name: string | null) =>
      !!name && (name === OFFICIAL_TEST_SECRET_NAME || runs.some((r) => name.startsWith(r.namePrefix)));
    const targets: Array<{ kind: LeftoverKind; uuid: string; name: string | null }> = [];
    for (const c of await client.listAllContainers())
      if (matches(c.name)) targets.push({ kind: 'container', uuid: c.uuid, name: c.name });
    for (const s of await client.listAllSecrets())
      if (matches(s.name)) targets.push({ kind: 'secret', uuid: s.uuid, name: s.name });
    for (const o of await client.listAllOrders())
      if (matches(o.name)) targets.push({ kind: 'order', uuid: o.uuid, name: o.name });
    for (const t of targets) found.push(await remove(client, t, ctx.http.redactor.text.bind(ctx.http.redactor)));
  } catch (err) {
    complete = false;
    error = ctx.http.redactor.text(`the leftovers of interrupted runs could not be listed: ${describeError(err)}`);
  } finally {
    await ctx.close();
  }
  if (complete) {
    await db.run.updateMany({
      where: { id: { in: runs.map((r) => r.id) } },
      data: { sweptAt: clockNow(), sweptByRunId: currentRunId },
    });
  }
  return { runs, found, complete, error, evidence };
}

async function remove(
  client: BarbicanClient,
  t: { kind: LeftoverKind; uuid: string; name: string | null },
  redact: (s: string) => string,
): Promise<Leftover> {
  const base = { kind: t.kind, uuid: t.uuid, name: t.name, createdBy: 'an interrupted run' };
  try {
    if (t.kind === 'secret') await client.deleteSecret(t.uuid);
    else if (t.kind === 'container') await client.deleteContainer(t.uuid);
    else await client.deleteOrder(t.uuid);
    return { ...base, deleted: true, reason: 'left behind by an interrupted run' };
  } catch (err) {
    if (err instanceof HttpStatusError && err.status === 404)
      return { ...base, deleted: true, reason: 'left behind by an interrupted run (already gone)' };
    if (t.kind === 'order' && err instanceof HttpStatusError && err.status === 403) {
      return {
        ...base,
        deleted: false,
        keptByPolicy: true,
        reason:
          "left behind by an interrupted run; Barbican's policy lets only admins delete orders (the order holds no key material)",
      };
    }
    return {
      ...base,
      deleted: false,
      reason: redact(`left behind by an interrupted run; it could not be deleted: ${describeError(err)}`),
    };
  }
}
