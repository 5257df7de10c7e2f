// km-no-leftovers: after the other checks, list the project's secrets, containers and orders and
// look for objects named with this run's prefix (and the official testcase's fixed name). Stale
// secrets and containers of earlier runs (our prefix, older than an hour) are reported too. Everything found is
// handed to the sweep, which deletes it right after this check.

import type { BarbicanClient } from '../../openstack';
import { OFFICIAL_TEST_SECRET_NAME, RUN_NAME_PREFIX } from '../context';
import type { CheckContext } from '../context';
import { abortFromError, fail, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';
import type { LeftoverKind } from '../types';

const ID = 'km-no-leftovers';
/** Another run may be in progress right now; only objects this old are treated as abandoned. */
const STALE_AFTER_MS = 60 * 60 * 1000;
const OUR_NAMES = new RegExp(`^${RUN_NAME_PREFIX}[a-z0-9]+-`);

interface Found {
  kind: LeftoverKind;
  uuid: string;
  name: string | null;
  stale: boolean;
}

export const kmNoLeftovers: CheckDefinition = {
  id: ID,
  title: 'No test objects left behind',
  clause: 'Good practice for testing customer clouds: a check leaves no secrets behind',
  target: 'informational',
  lifetime: 'week',
  preflight: true,
  expectations: { 'full-check-set': 'PASS', 'no-key-manager': 'ABORT' },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    let found: Found[];
    try {
      found = await findTestObjects(ctx, km.client);
    } catch (err) {
      return abortFromError(err, "list the project's secrets, containers and orders", ctx.http.redactor);
    }
    for (const f of found) {
      if (!ctx.tracker.get(f.kind, f.uuid))
        ctx.tracker.created(f.kind, f.uuid, f.name, f.stale ? 'an earlier run' : ID);
    }
    // Orders that Barbican's policy does not let a member delete are reported, not failed: they
    // hold no key material once their key is gone, and the check cannot do anything about them.
    const policyKept = found.filter((f) => f.kind === 'order' && ctx.tracker.get('order', f.uuid)?.deleteForbidden);
    const real = found.filter((f) => !policyKept.includes(f));
    const details = {
      found: real.map((f) => ({ kind: f.kind, uuid: f.uuid, name: f.name, stale: f.stale })),
      ordersKeptByPolicy: policyKept.map((f) => f.uuid),
    };
    if (real.length > 0) {
      const ours = real.filter((f) => !f.stale).length;
      const stale = real.length - ours;
      return fail(
        `${describe(real)} named as test objects ${real.length === 1 ? 'is' : 'are'} still in the project (${ours} of this run, ${stale} of earlier runs); the sweep deletes them now and reports any it cannot.`,
        details,
      );
    }
    return pass(
      `No test secrets or containers remain in the project${policyKept.length ? `; ${policyKept.length} order record(s) stay because only admins may delete orders` : ''}.`,
      details,
    );
  },
};

function describe(found: Found[]): string {
  const counts = new Map<LeftoverKind, number>();
  for (const f of found) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}${n === 1 ? '' : 's'}`).join(', ');
}

async function findTestObjects(ctx: CheckContext, client: BarbicanClient): Promise<Found[]> {
  const now = Date.now();
  const classify = (name: string | null, created: string | undefined): { ours: boolean; stale: boolean } | null => {
    if (!name) return null;
    if (name.startsWith(ctx.namePrefix) || name === OFFICIAL_TEST_SECRET_NAME) return { ours: true, stale: false };
    if (OUR_NAMES.test(name)) {
      // Barbican's timestamps are UTC without a zone suffix.
      const t = created ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(created) ? created : `${created}Z`) : NaN;
      if (!Number.isNaN(t) && now - t > STALE_AFTER_MS) return { ours: false, stale: true };
    }
    return null;
  };
  const out: Found[] = [];
  for (const s of await client.listAllSecrets()) {
    const c = classify(s.name, s.created);
    if (c) out.push({ kind: 'secret', uuid: s.uuid, name: s.name, stale: c.stale });
  }
  for (const c of await client.listAllContainers()) {
    const k = classify(c.name, c.created);
    if (k) out.push({ kind: 'container', uuid: c.uuid, name: c.name, stale: k.stale });
  }
  // Orders of earlier runs are not chased: with Barbican's default policy a member can never
  // delete them, so they would be reported forever, and their keys are secrets, checked above.
  for (const o of await client.listAllOrders()) {
    const k = classify(o.name, o.created);
    if (k && !k.stale) out.push({ kind: 'order', uuid: o.uuid, name: o.name, stale: false });
  }
  return out;
}
