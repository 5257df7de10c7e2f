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
  attestationReviews,
}: {
  action: Action;
  statusChanges: boolean;
  attestationExpiry: boolean;
  attestationReviews: boolean;
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
        label="E-mail me when an attestation or a certificate nears expiry"
        state={state}
        defaultChecked={attestationExpiry}
        hint="Attestations 14 days and 1 day ahead, certificates 30 and 7 days ahead."
      />
      <CheckboxField
        name="attestationReviews"
        label="E-mail me when an attestation is reviewed"
        state={state}
        defaultChecked={attestationReviews}
        hint="Approved, returned for changes or rejected, with the reviewer's comment."
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
  events,
}: {
  action: Action;
  organizations: { slug: string; name: string }[];
  allowGlobal: boolean;
  /** The events a webhook may receive: [event name, label]. */
  events: Array<[string, string]>;
}) {
  const [state, formAction] = useActionState(action, {});
  // After a refused submit, the boxes keep what was ticked (the hidden empty value comes first).
  const kept = state.values?.events?.split(',').filter(Boolean);
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
      <fieldset aria-describedby={state.errors?.events ? 'f-events-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">Events</legend>
        <input type="hidden" name="events" value="" />
        <div className="mt-1 grid gap-1">
          {events.map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                name="events"
                value={value}
                defaultChecked={kept ? kept.includes(value) : true}
                key={`${value}-${kept ? kept.includes(value) : true}`}
                className="h-4 w-4 rounded border-slate-400"
              />
              <span>
                {label} <span className="font-mono text-xs text-slate-600">{value}</span>
              </span>
            </label>
          ))}
        </div>
        {state.errors?.events && (
          <p id="f-events-error" className="mt-1 text-sm text-red-700">
            {state.errors.events}
          </p>
        )}
      </fieldset>
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
