'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { CheckboxField, Field, FormMessage } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';

/** Staff set where a cloud's runs are forwarded: monitor URL, account, API key (write-only). */
export function ForwardingForm({
  action,
  slug,
  defaults,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  slug: string;
  defaults: { url?: string; account?: string; enabled?: boolean; hasKey: boolean; subject: string };
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="grid max-w-2xl gap-4" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="slug" value={slug} />
      <Field
        name="url"
        label="Compliance monitor URL"
        required
        state={state}
        defaultValue={defaults.url}
        placeholder="https://compliance.sovereignit.cloud/"
        hint="Reports go to <URL>/reports, as the official runner sends them."
      />
      <Field
        name="account"
        label="Monitor account"
        state={state}
        defaultValue={defaults.account}
        hint={`The account (subject) at the monitor; empty: this cloud's SCS subject, ${defaults.subject}. Register this dashboard's signing key (GET /api/v1/signing-key) for that account at the monitor.`}
      />
      <Field
        name="apiKeySecret"
        label="API key"
        type="password"
        required={!defaults.hasKey}
        autoComplete="off"
        state={state}
        hint={
          defaults.hasKey
            ? 'Stored encrypted and never shown again; leave empty to keep it, or enter a new one to replace it.'
            : "The account's API key at the monitor; stored encrypted by the vault and never shown again."
        }
      />
      <CheckboxField
        name="enabled"
        label="Forward runs"
        state={state}
        defaultChecked={defaults.enabled ?? true}
        hint="Every run of this cloud that finishes from now on is sent, with retries; switched off, nothing is sent."
      />
      <div>
        <SubmitButton pendingText="Saving…">Save forwarding</SubmitButton>
      </div>
    </form>
  );
}
