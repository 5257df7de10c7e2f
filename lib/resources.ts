// Resource loaders: load one row, ask the one policy function (lib/auth/policy.ts) about it, return it.
// A row that does not exist answers as one the caller may not see (401 anonymous, 404 otherwise, the
// policy's `missing` resource), so no caller invents a placeholder organization to ask about.

import { authorize, type Action, type Resource } from './auth/policy';
import type { RequestContext } from './context';
import { db, type Prisma } from './db';
import { NotFoundError } from './errors';

/** A missing resource: the policy's answer for one out of sight, or for staff "<what> not found". */
export function refuseMissing(ctx: RequestContext, action: Action, what: string): never {
  authorize(ctx.actor, action, { type: 'missing' });
  throw new NotFoundError(what);
}

/** Awaits the query, then asks the policy about the row it found (`resource`), or refuses the missing one. */
export async function loadFor<T>(
  ctx: RequestContext,
  action: Action,
  what: string,
  query: PromiseLike<T | null> | T | null,
  resource: (row: T) => Resource,
): Promise<T> {
  const row = await query;
  if (row === null || row === undefined) refuseMissing(ctx, action, what);
  authorize(ctx.actor, action, resource(row));
  return row;
}

export const cloudResource = (c: { organizationId: string }): Resource => ({
  type: 'cloud',
  organizationId: c.organizationId,
});

/** A cloud by slug (or id) with the given fields, its organization's id among them, after the policy. */
export async function loadCloud<S extends Prisma.CloudSelect & { organizationId: true }>(
  ctx: RequestContext,
  where: { slug: string } | { id: string },
  action: Action,
  select: S,
): Promise<Prisma.CloudGetPayload<{ select: S }>> {
  // A slug that is not a string (a form or API field of another type) finds nothing.
  const valid = Object.values(where).every((v) => typeof v === 'string' && v !== '');
  const row = valid
    ? ((await db.cloud.findUnique({
        where: where as Prisma.CloudWhereUniqueInput,
        select,
      })) as unknown as Prisma.CloudGetPayload<{ select: S }> | null)
    : null;
  return loadFor(ctx, action, 'Cloud', row, (c) => cloudResource(c as unknown as { organizationId: string }));
}
