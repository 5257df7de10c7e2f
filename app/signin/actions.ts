'use server';
import { AuthError } from 'next-auth';
import { headers } from 'next/headers';
import { signIn } from '@/lib/next/auth';
import { signInRefusal } from '@/lib/auth/limiter';
import { clientAddressOf } from '@/lib/auth/client-address';
import type { FormState } from '@/lib/next/form-state';

import { safeNext } from '@/lib/next/safe-next';

export async function signInWithPassword(_prev: FormState, formData: FormData): Promise<FormState> {
  const email = String(formData.get('email') ?? '').trim();
  try {
    await signIn('password', {
      email,
      password: String(formData.get('password') ?? ''),
      redirectTo: safeNext(formData.get('next')),
    });
    return {};
  } catch (err) {
    if (!(err instanceof AuthError)) throw err; // includes Next's redirect on success
    const code = (err as AuthError & { code?: string }).code;
    if (code === 'rate_limited') {
      const refusal = await signInRefusal(email, clientAddressOf(await headers()));
      const s = Math.max(refusal?.retryAfterS ?? 1, 1);
      const wait = s >= 90 ? `${Math.ceil(s / 60)} minutes` : `${s} second${s === 1 ? '' : 's'}`;
      return {
        status: 429,
        message:
          refusal?.reason === 'account-delay'
            ? `Too many failed sign-ins for this account. Try again in ${wait}.`
            : `Too many failed sign-ins for this account or from your address. Try again in ${wait}.`,
        values: { email },
      };
    }
    return {
      status: 401,
      message: 'Email or password is not right, or the account is deactivated.',
      values: { email },
    };
  }
}

export async function signInWithOidc(formData: FormData): Promise<void> {
  await signIn('oidc', { redirectTo: safeNext(formData.get('next')) });
}
