'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { Field, FormMessage, SelectField } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';
import { OrganizationsField } from './organizations-field';

type Action = (s: FormState, fd: FormData) => Promise<FormState>;
const ROLE_OPTIONS = [
  { value: 'csp', label: 'csp: member of its organizations, sees only their clouds' },
  { value: 'reviewer', label: 'reviewer: certification staff, sees every cloud' },
  { value: 'admin', label: 'admin: everything, including users' },
];
const ORG_HINT =
  'A csp user sees only the clouds of the organizations ticked here; staff see every organization anyway.';

/** Creating a user: email, name, role, organizations, and an optional initial password. */
export function NewUserForm({
  action,
  organizations,
}: {
  action: Action;
  organizations: { slug: string; name: string }[];
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="max-w-2xl space-y-4" noValidate>
      <FormMessage state={state} />
      <Field name="email" label="Email" type="email" required state={state} autoComplete="off" />
      <Field name="name" label="Name" state={state} autoComplete="off" />
      <SelectField name="role" label="Role" required state={state} defaultValue="csp" options={ROLE_OPTIONS} />
      <OrganizationsField organizations={organizations} state={state} hint={ORG_HINT} />
      <Field
        name="password"
        label="Initial password"
        type="password"
        state={state}
        autoComplete="new-password"
        hint="Optional. Without one the user signs in through single sign-on, or you send an invitation so they set their own."
      />
      <SubmitButton pendingText="Creating…">Create user</SubmitButton>
    </form>
  );
}

/** Changing a user's name, role and organizations (activation has its own confirmed button). */
export function EditUserForm({
  action,
  organizations,
  user,
}: {
  action: Action;
  organizations: { slug: string; name: string }[];
  user: { id: string; name: string; role: string; organizations: string[] };
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="max-w-2xl space-y-4" noValidate>
      <FormMessage state={state} />
      <input type="hidden" name="id" value={user.id} />
      <Field name="name" label="Name" state={state} defaultValue={user.name} autoComplete="off" />
      <SelectField name="role" label="Role" required state={state} defaultValue={user.role} options={ROLE_OPTIONS} />
      <OrganizationsField
        organizations={organizations}
        state={state}
        defaultValue={user.organizations}
        hint={ORG_HINT}
      />
      <SubmitButton pendingText="Saving…">Save changes</SubmitButton>
    </form>
  );
}
