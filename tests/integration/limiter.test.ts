import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import {
  clearAccountFailures,
  recordSignInFailure,
  SIGNIN_LIMIT,
  SIGNIN_WINDOW_MS,
  signInBlockedFor,
} from '@/lib/auth/limiter';
import { uid } from './helpers';

const MIN = 60_000;
// Each test has its own accounts and addresses, and its own clock far from the others'.
const email = () => `limited-${uid()}@example.test`;
const address = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250)).join('.')}-${uid()}`;
const clock = (year: number) => new Date(`${year}-01-01T00:00:00Z`).getTime();

describe('sign-in limiter (in PostgreSQL, so it holds across instances)', () => {
  test('the limit is 10 failures in 15 minutes', () => {
    expect(SIGNIN_LIMIT).toBe(10);
    expect(SIGNIN_WINDOW_MS).toBe(15 * MIN);
  });

  test('per account: the 10th failure blocks the account, from any address', async () => {
    const t0 = clock(2031);
    const who = email();
    for (let i = 0; i < 9; i++) await recordSignInFailure(who, address(), new Date(t0 + i * 1000));
    expect(await signInBlockedFor(who, address(), new Date(t0 + 10_000))).toBe(0);
    await recordSignInFailure(who, address(), new Date(t0 + 10_000));
    const wait = await signInBlockedFor(who, address(), new Date(t0 + 11_000));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15);
    // Case and spaces do not make another account.
    expect(await signInBlockedFor(` ${who.toUpperCase()} `, null, new Date(t0 + 11_000))).toBeGreaterThan(0);
    // Another account from a fresh address is not affected.
    expect(await signInBlockedFor(email(), address(), new Date(t0 + 11_000))).toBe(0);
  });

  test('per address: 10 failures from one address block it for every account', async () => {
    const t0 = clock(2032);
    const from = address();
    for (let i = 0; i < 10; i++) await recordSignInFailure(email(), from, new Date(t0 + i * 1000));
    expect(await signInBlockedFor(email(), from, new Date(t0 + 11_000))).toBeGreaterThan(0);
    expect(await signInBlockedFor(email(), address(), new Date(t0 + 11_000))).toBe(0);
  });

  test('the window slides: failures older than 15 minutes stop counting, one by one', async () => {
    const t0 = clock(2033);
    const who = email();
    // One failure a minute, minutes 0..9.
    for (let i = 0; i < 10; i++) await recordSignInFailure(who, null, new Date(t0 + i * MIN));
    const at = (m: number) => signInBlockedFor(who, null, new Date(t0 + m * MIN));
    expect(await at(9.5)).toBe(6); // the oldest (minute 0) leaves the window at minute 15
    expect(await at(14.9)).toBe(1);
    expect(await at(15)).toBe(0); // minute 0 is out: 9 left in the window
    await recordSignInFailure(who, null, new Date(t0 + 15.5 * MIN)); // a 10th inside the window again
    expect(await at(15.6)).toBeGreaterThan(0);
    expect(await at(16)).toBe(0); // minute 1 is out
  });

  test("a success clears the account's failures but not the address's", async () => {
    const t0 = clock(2034);
    const who = email();
    const from = address();
    for (let i = 0; i < 10; i++) await recordSignInFailure(who, from, new Date(t0 + i * 1000));
    expect(await signInBlockedFor(who, address(), new Date(t0 + 11_000))).toBeGreaterThan(0);
    await clearAccountFailures(who.toUpperCase());
    expect(await signInBlockedFor(who, address(), new Date(t0 + 11_000))).toBe(0);
    // One right password must not unlock guessing other accounts from that address.
    expect(await signInBlockedFor(who, from, new Date(t0 + 11_000))).toBeGreaterThan(0);
    expect(await signInBlockedFor(email(), from, new Date(t0 + 11_000))).toBeGreaterThan(0);
  });

  test('old rows are pruned as new failures arrive, so the table stays small', async () => {
    const t0 = clock(2035);
    const who = email();
    await recordSignInFailure(who, null, new Date(t0));
    await recordSignInFailure(email(), null, new Date(t0 + 16 * MIN));
    expect(await db.signInFailure.count({ where: { key: `account:${who}` } })).toBe(0);
  });
});
