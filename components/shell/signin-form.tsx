'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { Field, FormMessage } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';

export function SignInForm({
  next,
  signIn,
  email,
}: {
  next: string;
  signIn: (s: FormState, fd: FormData) => Promise<FormState>;
  /** Filled in after an invitation (the account's address). */
  email?: string;
}) {
  const [state, action] = useActionState(signIn, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormMessage state={state} />
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        state={state}
        defaultValue={email}
      />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required state={state} />
      <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
    </form>
  );
}
