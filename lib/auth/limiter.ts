import { db } from '../db';

/**
 * Failed sign-ins are limited per account and per client address. The state is rows in
 * PostgreSQL, so the limit holds across every web instance sharing the database.
 */
export const SIGNIN_LIMIT = Number(process.env.SIGNIN_LIMIT || 10);
export const SIGNIN_WINDOW_MS = Number(process.env.SIGNIN_WINDOW_MINUTES || 15) * 60_000;

function keys(email: string, address: string | null): string[] {
  return [`account:${email.trim().toLowerCase()}`, ...(address ? [`address:${address}`] : [])];
}

/** Minutes until the caller may try again, or 0 when not limited. */
export async function signInBlockedFor(email: string, address: string | null, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - SIGNIN_WINDOW_MS);
  let wait = 0;
  for (const key of keys(email, address)) {
    const recent = await db.signInFailure.findMany({
      where: { key, at: { gt: since } },
      orderBy: { at: 'desc' },
      take: SIGNIN_LIMIT,
      select: { at: true },
    });
    if (recent.length >= SIGNIN_LIMIT) {
      const oldest = recent[recent.length - 1].at.getTime();
      wait = Math.max(wait, Math.ceil((oldest + SIGNIN_WINDOW_MS - now.getTime()) / 60_000));
    }
  }
  return wait;
}

export async function recordSignInFailure(email: string, address: string | null, now = new Date()): Promise<void> {
  await db.signInFailure.createMany({ data: keys(email, address).map((key) => ({ key, at: now })) });
  // Keep the table small: anything older than the window no longer counts.
  await db.signInFailure.deleteMany({ where: { at: { lt: new Date(now.getTime() - SIGNIN_WINDOW_MS) } } });
}

/** A success clears the account's failures (not the address's: one good password must not unlock guessing others). */
export async function clearAccountFailures(email: string): Promise<void> {
  await db.signInFailure.deleteMany({ where: { key: `account:${email.trim().toLowerCase()}` } });
}
