'use server';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { AuthError } from 'next-auth';
import { acceptInvitation } from '@/lib/users';
import { signIn } from '@/lib/next/auth';
import { clientAddressOf } from '@/lib/auth/client-address';
import { toErrorBody, ValidationError } from '@/lib/errors';
import type { FormState } from '@/lib/next/form-state';

/**
 * Public by design: the invited person has no account yet, so this action cannot ask for a
 * session. The token in the link is the credential; lib/users checks it (unknown, used, revoked,
 * expired or archived-organization tokens are refused with 410) and creates exactly the invited
 * csp user in exactly the invited organization: nothing in the form chooses who or where.
 */
export async function acceptInvitationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const token = String(fd.get('token') ?? '');
  const name = String(fd.get('name') ?? '');
  const password = String(fd.get('password') ?? '');
  const confirm = String(fd.get('passwordConfirm') ?? '');
  let email: string;
  try {
    if (password !== confirm) throw new ValidationError({ passwordConfirm: 'The two passwords differ.' });
    ({ email } = await acceptInvitation(
      { actor: null, clientAddress: clientAddressOf(await headers()), via: 'invitation' },
      token,
      { name, password },
    ));
  } catch (err) {
    const { status, body } = toErrorBody(err);
    if (status === 500) console.error('[invite]', err instanceof Error ? err.stack : String(err));
    // Passwords are never sent back; the name is kept.
    return { status, message: body.error.message, errors: body.error.fields, values: { name } };
  }
  // The account exists now: sign its owner in with the password just chosen (the ordinary
  // password sign-in, with its limiter and audit), straight to the landing page.
  try {
    await signIn('password', { email, password, redirectTo: '/compliance?welcome=1' });
  } catch (err) {
    if (!(err instanceof AuthError)) throw err; // Next's redirect on success
    redirect(`/signin?invited=1&email=${encodeURIComponent(email)}`);
  }
  redirect('/compliance?welcome=1');
}
