'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { Field, FormMessage } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';

type Action = (s: FormState, fd: FormData) => Promise<FormState>;

/** Start an attestation (or a new revision) for a cloud. */
export function StartAttestationForm({ action, slug, label }: { action: Action; slug: string; label: string }) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="slug" value={slug} />
      <FormMessage state={state} />
      <SubmitButton pendingText="Starting…">{label}</SubmitButton>
    </form>
  );
}

/** The signature: confirm on behalf of the organization, type one's name, submit. */
export function SubmitAttestationForm({
  action,
  id,
  organization,
  defaultName,
}: {
  action: Action;
  id: string;
  organization: string;
  defaultName: string;
}) {
  const [state, formAction] = useActionState(action, {});
  const checked = state.values ? state.values.confirm === 'on' : false;
  return (
    <form action={formAction} className="space-y-3" noValidate data-testid="submit-form">
      <input type="hidden" name="id" value={id} />
      <FormMessage state={state} />
      <div className="flex items-start gap-2">
        <input
          id="f-confirm"
          name="confirm"
          type="checkbox"
          defaultChecked={checked}
          key={String(checked)}
          className="mt-1 h-4 w-4"
          aria-invalid={state.errors?.confirm ? true : undefined}
          aria-describedby={state.errors?.confirm ? 'f-confirm-error' : undefined}
        />
        <label htmlFor="f-confirm" className="text-sm text-slate-800">
          On behalf of <strong>{organization}</strong>, I confirm that this statement and the attached evidence are true
          and complete, and I am entitled to make it.
        </label>
      </div>
      {state.errors?.confirm && (
        <p id="f-confirm-error" className="text-sm text-red-700">
          {state.errors.confirm}
        </p>
      )}
      <Field
        name="signerName"
        label="Your full name (signature)"
        required
        state={state}
        defaultValue={defaultName}
        autoComplete="name"
      />
      <SubmitButton pendingText="Submitting…">Sign and submit for review</SubmitButton>
    </form>
  );
}

/** The reviewer's decision; every decision needs a comment the CSP will read. */
export function ReviewForm({ action, id }: { action: Action; id: string }) {
  const [state, formAction] = useActionState(action, {});
  const chosen = state.values?.decision;
  const options = [
    { value: 'approve', label: 'Approve' },
    { value: 'request_changes', label: 'Request changes' },
    { value: 'reject', label: 'Reject' },
  ];
  return (
    <form action={formAction} className="space-y-3" noValidate data-testid="review-form">
      <input type="hidden" name="id" value={id} />
      <FormMessage state={state} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">
          Decision{' '}
          <span className="text-red-700" aria-hidden>
            *
          </span>
        </legend>
        <div className="mt-1 flex flex-wrap gap-4">
          {options.map((o) => (
            <label key={o.value} className="flex items-center gap-1 text-sm">
              <input
                type="radio"
                name="decision"
                value={o.value}
                defaultChecked={chosen === o.value}
                key={`${o.value}-${chosen}`}
              />{' '}
              {o.label}
            </label>
          ))}
        </div>
        {state.errors?.decision && <p className="mt-1 text-sm text-red-700">{state.errors.decision}</p>}
      </fieldset>
      <Field name="comment" label="Comment (shown to the CSP)" required multiline state={state} />
      <SubmitButton pendingText="Recording…">Record decision</SubmitButton>
    </form>
  );
}
