import { db, Prisma } from '../db';
import { config } from '../config';
import { now as clockNow } from '../clock';

/**
 * Failed sign-ins, kept as rows in PostgreSQL so the limits hold across every web instance:
 *
 * - per (account, client address): at most SIGNIN_LIMIT failures within SIGNIN_WINDOW_MINUTES; then
 *   that address may not try that account until the oldest failure leaves the window;
 * - per client address (any account): the same limit, against one address guessing many accounts;
 * - per account (any address): from the SIGNIN_LIMIT-th failure on, a growing delay (1 s, 2 s, 4 s …,
 *   at most 60 s) after the latest failure. A botnet is slowed to about one guess a minute, and an
 *   attacker cannot lock the owner out: from another address the owner waits seconds, not the window.
 *
 * An attempt is reserved before the password is verified: the reservation counts as a failure in one
 * transaction that holds advisory locks on the account and the address, so 60 parallel attempts get at
 * most SIGNIN_LIMIT evaluations, not 60. A success deletes its reservation (and the account's failures).
 */
export const MAX_ACCOUNT_DELAY_S = 60;

export function signInLimit(): number {
  return config().SIGNIN_LIMIT;
}
export function signInWindowMs(): number {
  return config().SIGNIN_WINDOW_MINUTES * 60_000;
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

/** Seconds the account must wait after its latest failure, given its failures in the window. */
export function accountDelaySeconds(failures: number, limit = signInLimit()): number {
  if (failures < limit) return 0;
  return Math.min(2 ** (failures - limit), MAX_ACCOUNT_DELAY_S);
}

export type Refusal = { reason: 'address' | 'account-delay'; retryAfterS: number };
export type Reservation = { ok: true; ids: bigint[] } | ({ ok: false } & Refusal);

type Query = Pick<Prisma.TransactionClient, '$queryRaw'>;

/** Why the caller may not try now (and for how long), or null. Read-only. */
async function refusal(q: Query, email: string, address: string | null, now: Date): Promise<Refusal | null> {
  const since = new Date(now.getTime() - signInWindowMs());
  const limit = signInLimit();
  const account = accountKey(email);
  const [row] = await q.$queryRaw<
    {
      account_n: bigint;
      account_last: Date | null;
      pair_n: bigint;
      pair_oldest: Date | null;
      address_n: bigint;
      address_oldest: Date | null;
    }[]
  >`
    SELECT
      (SELECT count(*) FROM "SignInFailure" WHERE key = ${account} AND at > ${since}) AS account_n,
      (SELECT max(at) FROM "SignInFailure" WHERE key = ${account} AND at > ${since}) AS account_last,
      (SELECT count(*) FROM "SignInFailure" WHERE key = ${account} AND address IS NOT DISTINCT FROM ${address}
         AND at > ${since}) AS pair_n,
      (SELECT min(at) FROM (SELECT at FROM "SignInFailure" WHERE key = ${account}
         AND address IS NOT DISTINCT FROM ${address} AND at > ${since} ORDER BY at DESC LIMIT ${limit}) p) AS pair_oldest,
      (SELECT count(*) FROM "SignInFailure" WHERE key = ${address ? addressKey(address) : ''} AND at > ${since}) AS address_n,
      (SELECT min(at) FROM (SELECT at FROM "SignInFailure" WHERE key = ${address ? addressKey(address) : ''}
         AND at > ${since} ORDER BY at DESC LIMIT ${limit}) a) AS address_oldest`;
  const windowLeft = (oldest: Date | null) =>
    Math.max(1, Math.ceil(((oldest?.getTime() ?? now.getTime()) + signInWindowMs() - now.getTime()) / 1000));
  const hard = [
    Number(row.pair_n) >= limit ? windowLeft(row.pair_oldest) : 0,
    Number(row.address_n) >= limit ? windowLeft(row.address_oldest) : 0,
  ];
  if (Math.max(...hard) > 0) return { reason: 'address', retryAfterS: Math.max(...hard) };
  const delay = accountDelaySeconds(Number(row.account_n), limit);
  if (delay > 0 && row.account_last) {
    const left = Math.ceil((row.account_last.getTime() + delay * 1000 - now.getTime()) / 1000);
    if (left > 0) return { reason: 'account-delay', retryAfterS: left };
  }
  return null;
}

/**
 * Reserves one sign-in attempt: counted as a failure from now on (so parallel attempts see it), or
 * refused with how long to wait. Call `settleSignIn` with the outcome once the password is verified.
 */
export async function reserveSignIn(email: string, address: string | null, now = clockNow()): Promise<Reservation> {
  const account = accountKey(email);
  return db.$transaction(
    async (tx) => {
      // Account first, then address: every transaction takes them in this order, so none deadlock.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`signin:${account}`}, 0))`;
      if (address)
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`signin:${addressKey(address)}`}, 0))`;
      const refused = await refusal(tx, email, address, now);
      if (refused) return { ok: false as const, ...refused };
      const rows = [
        { key: account, address, at: now },
        ...(address ? [{ key: addressKey(address), address, at: now }] : []),
      ];
      const ids: bigint[] = [];
      for (const data of rows) ids.push((await tx.signInFailure.create({ data, select: { id: true } })).id);
      return { ok: true as const, ids };
      // A burst queues here (each holds the locks for milliseconds): wait for a connection and the locks
      // longer than Prisma's 2 s default, so a burst of 60 is refused by the limiter, not by a timeout.
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
}

/**
 * The outcome of a reserved attempt: a failure keeps the reservation (and prunes rows that left the
 * window); a success removes it and the account's failures (not the address's: one good password must
 * not unlock guessing other accounts from there).
 */
export async function settleSignIn(
  reservation: { ids: bigint[] },
  email: string,
  success: boolean,
  now = clockNow(),
): Promise<void> {
  if (success) {
    await db.signInFailure.deleteMany({ where: { OR: [{ id: { in: reservation.ids } }, { key: accountKey(email) }] } });
    return;
  }
  await db.signInFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - signInWindowMs()) } } });
}

/** How long the caller must wait before trying again (for the sign-in form's message), or null. */
export async function signInRefusal(email: string, address: string | null, now = clockNow()): Promise<Refusal | null> {
  return refusal(db, email, address, now);
}
