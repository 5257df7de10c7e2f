'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { Field, FormMessage } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';

/** Register an OpenSSH public key the organization signs official-runner reports with. */
export function KeyForm({
  action,
  organization,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  organization: string;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="grid max-w-2xl gap-4" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="organization" value={organization} />
      <Field
        name="name"
        label="Key name"
        required
        state={state}
        autoComplete="off"
        hint='Which runner signs with it, e.g. "zuul" or "ops-laptop".'
      />
      <Field
        name="publicKey"
        label="Public key"
        required
        multiline
        state={state}
        hint="One line from the .pub file (ssh-keygen -t ed25519 makes one): ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa with at least 3072 bits. Never the private key."
      />
      <div>
        <SubmitButton pendingText="Registering…">Register key</SubmitButton>
      </div>
    </form>
  );
}
