import crypto from 'node:crypto';
import { z } from 'zod';
import { db } from '../db';
import { authorize, type Actor } from '../auth/policy';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { NotFoundError, parseInput } from '../errors';
import { loadActor } from '../users';
import { now as clockNow } from '../clock';

/** Personal API tokens: shown once, stored as SHA-256, acting as their user through the same policy. */
const TOKEN_PREFIX = 'scskm_';
export const MAX_TOKEN_DAYS = 365;

export const tokenInput = z.object({
  name: z.string().trim().min(1, 'Give the token a name, e.g. "CI pipeline".').max(100),
  days: z.coerce
    .number()
    .int('Whole days only.')
    .min(1, 'At least 1 day.')
    .max(MAX_TOKEN_DAYS, `At most ${MAX_TOKEN_DAYS} days.`)
    .default(90),
});

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

function hash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export async function createToken(
  ctx: RequestContext,
  userId: string,
  input: unknown,
  now = clockNow(),
): Promise<TokenView & { token: string }> {
  authorize(ctx.actor, 'token.create', { type: 'token', userId });
  const data = parseInput(tokenInput, input);
  const token = TOKEN_PREFIX + crypto.randomBytes(30).toString('base64url');
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError('User');
    const t = await tx.apiToken.create({
      data: {
        userId,
        name: data.name,
        tokenHash: hash(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        expiresAt: new Date(now.getTime() + data.days * 86400_000),
      },
    });
    await recordAudit(tx, ctx, {
      action: 'token.create',
      targetType: 'token',
      targetId: t.prefix,
      summary: `created API token "${t.name}" for ${user.email}, valid ${data.days} days`,
    });
    const { tokenHash: _h, userId: _u, ...rest } = t;
    return { ...rest, token };
  });
}

export async function listTokens(ctx: RequestContext, userId: string): Promise<TokenView[]> {
  authorize(ctx.actor, 'token.list', { type: 'token', userId });
  return db.apiToken.findMany({
    where: { userId },
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, prefix: true, expiresAt: true, lastUsedAt: true, revokedAt: true, createdAt: true },
  });
}

export async function revokeToken(ctx: RequestContext, tokenId: string): Promise<void> {
  const t = z.string().uuid().safeParse(tokenId).success
    ? await db.apiToken.findUnique({ where: { id: tokenId }, include: { user: true } })
    : null;
  authorize(ctx.actor, 'token.revoke', { type: 'token', userId: t?.userId ?? '' });
  if (!t) throw new NotFoundError('Token');
  if (t.revokedAt) return;
  await db.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: t.id }, data: { revokedAt: clockNow() } });
    await recordAudit(tx, ctx, {
      action: 'token.revoke',
      targetType: 'token',
      targetId: t.prefix,
      summary: `revoked API token "${t.name}" of ${t.user.email}`,
    });
  });
}

/** The actor behind a bearer token, or null when it is unknown, revoked, expired or its user inactive. */
export async function actorForBearer(token: string, now = clockNow()): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const t = await db.apiToken.findUnique({ where: { tokenHash: hash(token) } });
  if (!t || t.revokedAt || t.expiresAt <= now) return null;
  // Last-used is informational: write it at most once a minute per token.
  if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: t.id }, data: { lastUsedAt: now } });
  }
  return loadActor(t.userId);
}
