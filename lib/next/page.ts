import 'server-only';
import { forbidden, notFound, redirect } from 'next/navigation';
import { currentContext } from './session';
import { decide, PolicyError, type Action, type Actor, type Resource } from '../auth/policy';
import type { RequestContext } from '../context';

export type PageContext = RequestContext & { actor: Actor };

/** Private pages: the signed-in caller, or a redirect to sign-in that comes back here. */
export async function pageContext(returnTo: string): Promise<PageContext> {
  const ctx = await currentContext();
  if (!ctx.actor) redirect(`/signin?next=${encodeURIComponent(returnTo)}`);
  return ctx as PageContext;
}

/** Runs a lib read for a page, turning policy refusals into the 404 or 403 page. */
export async function orRefuse<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof PolicyError) {
      if (err.decision === 'forbidden') forbidden();
      if (err.decision === 'unauthenticated') redirect('/signin');
      notFound();
    }
    if (err && typeof err === 'object' && (err as { code?: string }).code === 'not_found') notFound();
    throw err;
  }
}

/** A page that only some may open at all (e.g. user administration). */
export function requirePermission(ctx: PageContext, action: Action, resource: Resource): void {
  const d = decide(ctx.actor, action, resource);
  if (d === 'hidden') notFound();
  if (d !== 'allow') forbidden();
}

export function may(ctx: PageContext, action: Action, resource: Resource): boolean {
  return decide(ctx.actor, action, resource) === 'allow';
}
