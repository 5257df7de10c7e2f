'use server';
import { formAction } from '@/lib/next/action';
import { createToken, revokeToken } from '@/lib/tokens';
import type { FormState } from '@/lib/next/form-state';

/** Personal: a token is always created for the caller (lib/tokens asks the policy with the caller as owner). */
export async function createTokenAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const t = await createToken(ctx, ctx.actor.id, { name: v.name, days: v.days || undefined });
      return { reveal: t.token, message: `Token "${t.name}" created.` };
    },
    { revalidate: '/settings/tokens' },
  );
}

export async function revokeTokenAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      await revokeToken(ctx, v.id ?? '');
      return { message: 'Token revoked.' };
    },
    { revalidate: '/settings/tokens' },
  );
}
