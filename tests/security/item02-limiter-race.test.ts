// Issue 12 item 2 (sign-in limiter race): the limit was checked, scrypt ran, then the failure was
// recorded, so 60 parallel attempts evaluated 59 wrong passwords and signed in with the right one.
// An attempt is now reserved before the password is verified.
import { beforeAll, describe, expect, test } from 'vitest';
import { freshAddress, makeWorld, signIn, type World } from './support';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

describe('item 2: the sign-in limiter reserves an attempt before verifying it', () => {
  test('60 parallel wrong passwords from one address get at most 10 evaluations; the right one after them is refused', async () => {
    const from = freshAddress();
    const outcomes = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signIn(w.csp.email, `wrong-password-${i}`, { address: from })),
    );
    const evaluated = outcomes.filter((o) => o.outcome === 'bad_credentials').length;
    const limited = outcomes.filter((o) => o.outcome === 'rate_limited').length;
    const counts: Record<string, number> = {};
    for (const o of outcomes) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
    expect(evaluated + limited, JSON.stringify(counts)).toBe(60);
    expect(evaluated, `evaluated ${evaluated} of 60`).toBeLessThanOrEqual(10);
    // The right password from the same address is refused too: that address has used its attempts.
    expect((await signIn(w.csp.email, w.csp.password, { address: from })).outcome).toBe('rate_limited');
  });
});
