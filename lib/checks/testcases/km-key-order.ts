// km-key-order: the path Cinder takes for an encrypted volume (castellan -> Barbican orders):
// order a 256-bit AES key, poll the order until ACTIVE within a deadline, read the key (32
// bytes) and delete key and order. Barbican's default policy lets only admins delete orders; an
// order that stays behind holds no key material once its key is deleted, and is reported.

import { isStatus, uuidFromRef } from '../../openstack';
import { abortFromError, fail, isForbidden, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';
import type { CheckOutcome } from '../types';
import { deleteAndReport, sleep } from './shared';

const ID = 'km-key-order';
const KEY_BYTES = 32;

export const kmKeyOrder: CheckDefinition = {
  id: ID,
  title: 'Symmetric key order (the Cinder volume encryption path)',
  clause: 'scs-0116-v1 "Introduction": keys for user data encryption (volumes) are provided by the Key Manager',
  target: 'informational',
  lifetime: 'week',
  preflight: true,
  expectations: { 'full-check-set': 'PASS', 'policy-denies-member': 'FAIL' },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    const client = km.client;
    const name = ctx.objectName('key-order');
    // Polling shares the body timeout's budget: an order that takes longer than a stalled body
    // would be allowed to is not something a volume create will wait for either.
    const deadlineMs = ctx.http.timeouts.bodyMs;
    let order;
    try {
      order = await ctx.createTracked('order', name, ID, () =>
        client.createKeyOrder({ name, algorithm: 'aes', bitLength: KEY_BYTES * 8, mode: 'cbc' }),
      );
    } catch (err) {
      if (isForbidden(err))
        return fail(
          "A member may not order a key (HTTP 403); map the creator role to member in Barbican's policy, or Cinder cannot create encrypted volumes.",
        );
      return abortFromError(err, 'order a symmetric key', ctx.http.redactor);
    }
    const details: Record<string, unknown> = { orderUuid: order.uuid, deadlineMs };
    let outcome: CheckOutcome | undefined;
    let keyUuid: string | undefined;
    try {
      const started = Date.now();
      let interval = 200;
      for (;;) {
        const current = await client.getOrder(order.uuid);
        details.status = current.status;
        if (current.status === 'ACTIVE') {
          keyUuid = uuidFromRef(current.secretRef, 'secrets');
          ctx.tracker.created('secret', keyUuid, name, ID);
          break;
        }
        if (current.status === 'ERROR') {
          outcome = fail(
            `The key order ended in ERROR (${current.errorStatusCode ?? '?'}: ${current.errorReason ?? 'no reason given'}); check Barbican's worker and backend logs.`,
            details,
          );
          break;
        }
        if (Date.now() - started + interval > deadlineMs) {
          outcome = fail(
            `The key order was still ${current.status ?? 'pending'} after ${deadlineMs} ms; check that Barbican's order processing (worker/keystone listener) runs.`,
            details,
          );
          break;
        }
        await sleep(interval, ctx.signal);
        interval = Math.min(interval * 2, 2_000);
      }
      if (!outcome && keyUuid) {
        details.keyUuid = keyUuid;
        const key = await client.getPayload(keyUuid, 'application/octet-stream');
        details.keyBytes = key.length;
        outcome =
          key.length === KEY_BYTES
            ? pass(
                `A 256-bit AES key was ordered, became ACTIVE and was read back (${KEY_BYTES} bytes); key and order were cleaned up.`,
                details,
              )
            : fail(
                `The ordered 256-bit key has ${key.length} bytes instead of ${KEY_BYTES}; check the crypto backend.`,
                details,
              );
      }
    } catch (err) {
      outcome = isForbidden(err)
        ? fail(
            `A member may not read the ordered key or its order (HTTP 403); allow members to use orders in Barbican's policy.`,
            details,
          )
        : abortFromError(err, 'complete the key order', ctx.http.redactor);
    } finally {
      // An order we stopped watching (an error, the deadline) may still produce its key, a
      // secret of the order's name: the sweep looks for it.
      if (!keyUuid && outcome?.verdict !== 'PASS')
        ctx.tracker.mayExist('secret', name, ID, 'the order may have produced a key the check did not see');
      if (keyUuid) {
        const e = await deleteAndReport(ctx, 'secret', keyUuid, client);
        if (e) details.keyDeleteError = ctx.http.redactor.text(String((e as Error).message ?? e));
      }
      const e = await deleteAndReport(ctx, 'order', order.uuid, client);
      if (e) {
        details.orderDeleteError = ctx.http.redactor.text(String((e as Error).message ?? e));
        details.orderLeftBehind = true;
        if (isStatus(e, 403)) details.orderDeleteForbidden = true;
      }
    }
    if (outcome?.verdict === 'PASS' && details.keyDeleteError) {
      return abortFromError(new Error(String(details.keyDeleteError)), 'delete the ordered key');
    }
    if (outcome?.verdict === 'PASS' && details.orderDeleteForbidden) {
      return pass(
        `A 256-bit AES key was ordered, became ACTIVE, was read back (${KEY_BYTES} bytes) and deleted; the order record stays because Barbican's policy lets only admins delete orders (it holds no key material).`,
        details,
      );
    }
    return outcome ?? abortFromError(new Error('no outcome'), 'complete the key order');
  },
};
