// Issue 12 item 10: anyone could lock any known account for 15 minutes with 10 wrong passwords.
// Now: a hard limit per (account, address) and a growing delay per account, so the owner, from their
// own address, waits seconds at most.
import { beforeAll, describe, expect, test } from 'vitest';
import { freshAddress, makeWorld, signIn, type World } from './support';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('item 10: an attacker cannot lock the owner out', () => {
  test('after 20 wrong passwords from an attacker, the owner signs in from their address within seconds', async () => {
    const attacker = freshAddress();
    for (let i = 0; i < 20; i++) await signIn(w.csp.email, `attacker-guess-${i}`, { address: attacker });
    // The attacker's address is done for this account.
    expect((await signIn(w.csp.email, w.csp.password, { address: attacker })).outcome).toBe('rate_limited');
    const owner = freshAddress();
    const t0 = Date.now();
    let outcome = '';
    while (Date.now() - t0 < 20_000) {
      outcome = (await signIn(w.csp.email, w.csp.password, { address: owner })).outcome;
      if (outcome === 'ok') break;
      expect(outcome).toBe('rate_limited');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(outcome).toBe('ok');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
