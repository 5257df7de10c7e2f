'use server';
import { AuthError } from 'next-auth';
import { headers } from 'next/headers';
import { signIn } from '@/lib/auth/config';
import { signInBlockedFor } from '@/lib/auth/limiter';
import { clientAddressOf } from '@/lib/auth/client-address';
import type { FormState } from '@/lib/next/form-state';

/** Only same-site paths: an open redirect after sign-in would help phishing. */
function safeNext(v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : '/compliance';
}

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
      const minutes = await signInBlockedFor(email, clientAddressOf(await headers()));
      return {
        status: 429,
        message: `Too many failed sign-ins for this account or from your address. Try again in ${Math.max(minutes, 1)} minute${minutes === 1 ? '' : 's'}.`,
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
