'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { Field, FormMessage } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';

export function AcceptInvitationForm({
  action,
  token,
  email,
  minPasswordLength,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  token: string;
  email: string;
  minPasswordLength: number;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="token" value={token} />
      {/* Lets password managers store the new credential under the right account. */}
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      <FormMessage state={state} />
      <Field name="name" label="Your name" required autoComplete="name" state={state} />
      <Field
        name="password"
        label="Password"
        type="password"
        required
        autoComplete="new-password"
        state={state}
        hint={`At least ${minPasswordLength} characters. A passphrase of several words works well.`}
      />
      <Field
        name="passwordConfirm"
        label="Confirm password"
        type="password"
        required
        autoComplete="new-password"
        state={state}
      />
      <SubmitButton pendingText="Creating your account…">Create account</SubmitButton>
    </form>
  );
}
