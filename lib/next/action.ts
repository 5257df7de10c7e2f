import 'server-only';
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { currentContext } from './session';
import { describeInternalError, toErrorBody } from '../errors';
import type { RequestContext } from '../context';
import type { Actor } from '../auth/policy';
import type { FormState } from './form-state';

// Never echoed back: secrets, and pasted files that hold them (clouds.yaml, secure.yaml, openrc).
const SECRET_FIELD = /password|secret|token|yaml|openrc/i;

export function formValues(formData: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of formData.entries()) {
    if (k.startsWith('$ACTION') || typeof v !== 'string') continue;
    out[k] = out[k] !== undefined ? `${out[k]},${v}` : v;
  }
  return out;
}

function keptValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET_FIELD.test(k)));
}

export type ActionOutcome = void | { redirect: string } | { reveal: string; message?: string } | { message: string };

/**
 * The one shape of a server action: load the caller fresh, refuse an anonymous one, run one lib
 * function (which asks the policy), and turn refusals into a FormState the form shows beside
 * its fields, keeping what was typed. Redirects happen after the try, as Next requires.
 */
export async function formAction(
  formData: FormData,
  fn: (ctx: RequestContext & { actor: Actor }, values: Record<string, string>) => Promise<ActionOutcome>,
  opts: { revalidate?: string } = {},
): Promise<FormState> {
  const values = formValues(formData);
  const ctx = await currentContext();
  if (!ctx.actor)
    return {
      status: 401,
      message: 'Your session has ended. Sign in again; what you typed is kept below.',
      values: keptValues(values),
    };
  let outcome: ActionOutcome;
  try {
    outcome = await fn(ctx as RequestContext & { actor: Actor }, values);
  } catch (err) {
    const { status, body } = toErrorBody(err);
    if (status === 500) console.error('[action]', describeInternalError(err));
    return { status, message: body.error.message, errors: body.error.fields, values: keptValues(values) };
  }
  if (opts.revalidate) revalidatePath(opts.revalidate);
  if (outcome && 'redirect' in outcome) redirect(outcome.redirect);
  if (outcome && 'reveal' in outcome) return { ok: true, reveal: outcome.reveal, message: outcome.message };
  return { ok: true, message: outcome && 'message' in outcome ? outcome.message : 'Saved.' };
}
