'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { Field, FormMessage } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';

export interface OrganizationDefaults {
  slug?: string;
  name?: string;
  contactEmails?: string[];
}

export function OrganizationForm({
  action,
  defaults = {},
  editing,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  defaults?: OrganizationDefaults;
  editing?: boolean;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="max-w-2xl space-y-4" noValidate>
      <FormMessage state={state} />
      {editing ? (
        <input type="hidden" name="slug" value={defaults.slug} />
      ) : (
        <Field
          name="slug"
          label="Slug"
          required
          state={state}
          defaultValue={defaults.slug}
          hint="Short lower-case identifier used in URLs and the API, e.g. plusserver. It cannot change later."
        />
      )}
      <Field
        name="name"
        label="Name"
        required
        state={state}
        defaultValue={defaults.name}
        hint="The cloud service provider's name as it appears on certificates and public pages."
      />
      <Field
        name="contactEmails"
        label="Contact emails"
        state={state}
        defaultValue={defaults.contactEmails?.join(', ')}
        hint="Comma-separated; who the certification body writes to about this provider."
      />
      <SubmitButton pendingText="Saving…">{editing ? 'Save changes' : 'Create organization'}</SubmitButton>
    </form>
  );
}
