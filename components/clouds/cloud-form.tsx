'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { CheckboxField, Field, FormMessage, SelectField } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';

export interface CloudDefaults {
  slug?: string;
  name?: string;
  description?: string;
  organization?: string;
  region?: string;
  public?: boolean;
  contactEmails?: string[];
  scsSubject?: string;
}

export function CloudForm({
  action,
  organizations,
  defaults = {},
  editing,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  organizations: { slug: string; name: string }[];
  defaults?: CloudDefaults;
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
          hint="Short lower-case identifier used in URLs, the badge and the API, e.g. gx-scs. It cannot change later."
        />
      )}
      <Field name="name" label="Name" required state={state} defaultValue={defaults.name} />
      <SelectField
        name="organization"
        label="Organization (CSP)"
        required
        state={state}
        defaultValue={defaults.organization}
        options={organizations.map((o) => ({ value: o.slug, label: `${o.name} (${o.slug})` }))}
      />
      <Field
        name="region"
        label="Region"
        required
        state={state}
        defaultValue={defaults.region ?? 'RegionOne'}
        hint="The OpenStack region under test; the checks judge the key-manager endpoint of this region."
      />
      <Field
        name="scsSubject"
        label="SCS subject"
        state={state}
        defaultValue={defaults.scsSubject}
        hint="The name SCS tooling knows this cloud by: the official runner's --subject, the compliance monitor's account, the user name for uploading signed reports. Empty: the slug."
      />
      <Field name="description" label="Description" multiline state={state} defaultValue={defaults.description} />
      <Field
        name="contactEmails"
        label="Contact emails"
        state={state}
        defaultValue={defaults.contactEmails?.join(', ')}
        hint="Comma-separated; the operator's contacts for notifications."
      />
      <CheckboxField
        name="public"
        label="List publicly"
        state={state}
        defaultChecked={defaults.public}
        hint="Shows the cloud on the public status pages and enables its badge."
      />
      <SubmitButton pendingText="Saving…">{editing ? 'Save changes' : 'Create cloud'}</SubmitButton>
    </form>
  );
}
