'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { Field, FormMessage, SelectField } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';
import { Reveal } from '@/components/ui/reveal';

/** Inviting a CSP user into an organization; the link is shown once, right here. */
export function InvitationForm({
  action,
  organizations,
  defaultOrganization,
  days,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  organizations: { slug: string; name: string }[];
  defaultOrganization?: string;
  days: number;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <div className="space-y-4">
      {state.reveal && (
        <Reveal
          value={state.reveal}
          label="Invitation link"
          warning={
            <>
              Send this link to the invited person yourself. It is shown only now; it works once and for {days} days. If
              it is lost, revoke the invitation and create a new one.
            </>
          }
        />
      )}
      <form action={formAction} className="max-w-2xl space-y-4" noValidate>
        <FormMessage state={state} />
        <Field name="email" label="Email" type="email" required state={state} autoComplete="off" />
        <SelectField
          name="organization"
          label="Organization"
          required
          state={state}
          defaultValue={defaultOrganization}
          options={organizations.map((o) => ({ value: o.slug, label: `${o.name} (${o.slug})` }))}
        />
        <SubmitButton pendingText="Creating…">Create invitation</SubmitButton>
      </form>
    </div>
  );
}
