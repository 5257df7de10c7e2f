'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { Field, FormMessage } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';
import { Reveal } from '@/components/ui/reveal';

export function TokenForm({
  action,
  maxDays,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  maxDays: number;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <div className="space-y-4">
      {state.reveal && (
        <Reveal
          value={state.reveal}
          label="Your new API token"
          warning={
            <>
              Copy it now: it is shown only this once and cannot be recovered. Anyone holding it acts as you through the
              API; keep it in a secret store, never in a repository. Send it as{' '}
              <code className="font-mono">Authorization: Bearer …</code>.
            </>
          }
        />
      )}
      <form action={formAction} className="grid max-w-2xl gap-4 sm:grid-cols-[2fr_1fr]" noValidate>
        <div className="sm:col-span-2">
          <FormMessage state={state} />
        </div>
        <Field
          name="name"
          label="Name"
          required
          state={state}
          autoComplete="off"
          hint='What it is for, e.g. "CI pipeline".'
        />
        <Field
          name="days"
          label="Valid for (days)"
          type="number"
          required
          state={state}
          defaultValue="90"
          hint={`1 to ${maxDays}.`}
        />
        <div className="sm:col-span-2">
          <SubmitButton pendingText="Creating…">Create token</SubmitButton>
        </div>
      </form>
    </div>
  );
}
