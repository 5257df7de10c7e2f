import { db, type Tx } from '../db';

/**
 * Session cookies are stateless JWTs; each carries the user's session version from when it was issued.
 * Bumping the version (sign-out, deactivation) makes every earlier cookie of that user worthless.
 */
export async function bumpSessionVersion(userId: string, tx: Pick<Tx, 'user'> = db): Promise<void> {
  await tx.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}
