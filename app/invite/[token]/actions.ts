'use server';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { acceptInvitation } from '@/lib/users';
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
  try {
    if (password !== confirm) throw new ValidationError({ passwordConfirm: 'The two passwords differ.' });
    await acceptInvitation({ actor: null, clientAddress: clientAddressOf(await headers()), via: 'invitation' }, token, {
      name,
      password,
    });
  } catch (err) {
    const { status, body } = toErrorBody(err);
    if (status === 500) console.error('[invite]', err instanceof Error ? err.stack : String(err));
    // Passwords are never sent back; the name is kept.
    return { status, message: body.error.message, errors: body.error.fields, values: { name } };
  }
  redirect('/signin?invited=1');
}
