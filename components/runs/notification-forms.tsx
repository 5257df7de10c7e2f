'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { SubmitButton } from '@/components/ui/button';
import { CheckboxField, Field, FormMessage, SelectField } from '@/components/ui/form';

type Action = (s: FormState, fd: FormData) => Promise<FormState>;

export function PreferencesForm({
  action,
  statusChanges,
  attestationExpiry,
}: {
  action: Action;
  statusChanges: boolean;
  attestationExpiry: boolean;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-3">
      <CheckboxField
        name="statusChanges"
        label="E-mail me when a cloud's status changes"
        state={state}
        defaultChecked={statusChanges}
        hint="For example PASS to FAIL, the key manager lost, and back to PASS: one message per change, not per run."
      />
      <CheckboxField
        name="attestationExpiry"
        label="E-mail me when an attestation nears expiry"
        state={state}
        defaultChecked={attestationExpiry}
      />
      <SubmitButton>Save preferences</SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

export function WebhookForm({
  action,
  organizations,
  allowGlobal,
}: {
  action: Action;
  organizations: { slug: string; name: string }[];
  allowGlobal: boolean;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-3">
      <SelectField
        name="organization"
        label="Clouds of"
        state={state}
        required={!allowGlobal}
        options={organizations.map((o) => ({ value: o.slug, label: o.name }))}
        hint={allowGlobal ? "Leave empty for every cloud (the certification body's own webhook)." : undefined}
      />
      <Field
        name="url"
        label="Receiver URL"
        type="url"
        state={state}
        required
        placeholder="https://hooks.example.com/scs"
      />
      <SubmitButton>Add webhook</SubmitButton>
      <FormMessage state={state} />
      {state.reveal && (
        <p
          className="rounded border border-slate-300 bg-slate-50 p-2 font-mono text-sm break-all"
          data-testid="webhook-secret"
        >
          {state.reveal}
        </p>
      )}
    </form>
  );
}
