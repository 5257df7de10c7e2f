import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import {
  MAX_ACCOUNT_DELAY_S,
  accountDelaySeconds,
  reserveSignIn,
  settleSignIn,
  signInLimit,
  signInRefusal,
  signInWindowMs,
} from '@/lib/auth/limiter';
import { uid } from './support/fixtures';

const MIN = 60_000;
// Each test has its own accounts and addresses, and its own clock far from the others'.
const email = () => `limited-${uid()}@example.test`;
const address = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250)).join('.')}-${uid()}`;
const clock = (year: number) => new Date(`${year}-01-01T00:00:00Z`).getTime();

/** One evaluated wrong password at `at`; fails the test when the attempt was refused instead. */
async function fail(who: string, from: string | null, at: number): Promise<void> {
  const r = await reserveSignIn(who, from, new Date(at));
  expect(r.ok, `attempt at +${at % 100_000} ms was refused`).toBe(true);
  if (r.ok) await settleSignIn(r, who, false, new Date(at));
}

describe('sign-in limiter (in PostgreSQL, so it holds across instances)', () => {
  test('the limit is 10 failures in 15 minutes', () => {
    expect(signInLimit()).toBe(10);
    expect(signInWindowMs()).toBe(15 * MIN);
  });

  test('per account and address: the 10th failure blocks that address for that account, for the window', async () => {
    const t0 = clock(2031);
    const who = email();
    const from = address();
    for (let i = 0; i < 10; i++) await fail(who, from, t0 + i * 1000);
    const refused = await reserveSignIn(who, from, new Date(t0 + 11_000));
    expect(refused).toMatchObject({ ok: false, reason: 'address' });
    expect(!refused.ok && refused.retryAfterS).toBeGreaterThan(14 * 60);
    // Case and spaces do not make another account.
    expect(await signInRefusal(` ${who.toUpperCase()} `, from, new Date(t0 + 11_000))).toMatchObject({
      reason: 'address',
    });
  });

  test('the owner is not locked out: from another address only a short, growing delay applies', async () => {
    const t0 = clock(2032);
    const who = email();
    for (let i = 0; i < 10; i++) await fail(who, address(), t0 + i * 100);
    // 10 failures: the next attempt (from anywhere) waits 1 s after the latest one, then may try.
    expect(await signInRefusal(who, address(), new Date(t0 + 1000))).toMatchObject({
      reason: 'account-delay',
      retryAfterS: 1,
    });
    expect(await signInRefusal(who, address(), new Date(t0 + 900 + 1000))).toBeNull();
    await fail(who, address(), t0 + 2000); // 11th: 2 s
    expect(await signInRefusal(who, address(), new Date(t0 + 3000))).toMatchObject({ retryAfterS: 1 });
    expect(await signInRefusal(who, address(), new Date(t0 + 4000))).toBeNull();
    expect(accountDelaySeconds(9)).toBe(0);
    expect(accountDelaySeconds(10)).toBe(1);
    expect(accountDelaySeconds(13)).toBe(8);
    expect(accountDelaySeconds(100)).toBe(MAX_ACCOUNT_DELAY_S);
    // Another account is not affected.
    expect(await signInRefusal(email(), address(), new Date(t0 + 2100))).toBeNull();
  });

  test('per address: 10 failures from one address block it for every account', async () => {
    const t0 = clock(2033);
    const from = address();
    for (let i = 0; i < 10; i++) await fail(email(), from, t0 + i * 1000);
    expect(await signInRefusal(email(), from, new Date(t0 + 11_000))).toMatchObject({ reason: 'address' });
    expect(await signInRefusal(email(), address(), new Date(t0 + 11_000))).toBeNull();
  });

  test('the window slides: failures older than 15 minutes stop counting, one by one', async () => {
    const t0 = clock(2034);
    const who = email();
    const from = address();
    // One failure a minute, minutes 0..9.
    for (let i = 0; i < 10; i++) await fail(who, from, t0 + i * MIN);
    const at = async (m: number) => (await signInRefusal(who, from, new Date(t0 + m * MIN)))?.retryAfterS ?? 0;
    expect(await at(9.5)).toBe(5.5 * 60); // the oldest (minute 0) leaves the window at minute 15
    expect(await at(14.9)).toBe(6);
    expect(await at(15)).toBe(0); // minute 0 is out: 9 left in the window
    await fail(who, from, t0 + 15.5 * MIN); // a 10th inside the window again
    expect(await at(15.6)).toBeGreaterThan(0);
    expect(await at(16)).toBe(0); // minute 1 is out
  });

  test('an attempt is reserved before it is evaluated: 60 parallel attempts get 10 evaluations', async () => {
    const t0 = clock(2035);
    const who = email();
    const from = address();
    const results = await Promise.all(Array.from({ length: 60 }, () => reserveSignIn(who, from, new Date(t0))));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok)).toHaveLength(50);
  });

  test("a success clears the account's failures but not the address's", async () => {
    const t0 = clock(2036);
    const who = email();
    const from = address();
    for (let i = 0; i < 9; i++) await fail(who, from, t0 + i * 1000);
    const right = await reserveSignIn(who, from, new Date(t0 + 9000));
    expect(right.ok).toBe(true);
    if (right.ok) await settleSignIn(right, who.toUpperCase(), true, new Date(t0 + 9000));
    expect(await db.signInFailure.count({ where: { key: `account:${who}` } })).toBe(0);
    // One right password must not unlock guessing other accounts from that address.
    expect(await db.signInFailure.count({ where: { key: `address:${from}` } })).toBe(9);
    await fail(email(), from, t0 + 10_000);
    expect(await signInRefusal(email(), from, new Date(t0 + 11_000))).toMatchObject({ reason: 'address' });
  });

  test('old rows are pruned as new failures arrive, so the table stays small', async () => {
    const t0 = clock(2037);
    const who = email();
    await fail(who, null, t0);
    await fail(email(), null, t0 + 16 * MIN);
    expect(await db.signInFailure.count({ where: { key: `account:${who}` } })).toBe(0);
  });
});
