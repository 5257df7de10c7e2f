'use client';
import { useActionState, useState, useTransition } from 'react';
import { parse } from 'yaml';
import type { FormState } from '@/lib/next/form-state';
import { CheckboxField, Field, FormMessage, SelectField } from '@/components/ui/form';
import { variants } from '@/components/ui/button';

type Source = 'clouds_yaml' | 'openrc' | 'fields';

const textareaClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs shadow-sm focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-600/30 aria-[invalid=true]:border-red-600';

function entriesOf(text: string): string[] {
  try {
    const doc = parse(text, { maxAliasCount: 50 }) as { clouds?: Record<string, unknown> } | null;
    return doc && typeof doc.clouds === 'object' && doc.clouds ? Object.keys(doc.clouds) : [];
  } catch {
    return [];
  }
}

/**
 * A pasted or uploaded file, kept in the browser's state only: the server never echoes it back
 * (it may hold a password), so a failed submit keeps what was pasted without it leaving again.
 */
function FileText({
  name,
  label,
  value,
  onChange,
  state,
  hint,
  rows = 10,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  state: FormState;
  hint?: string;
  rows?: number;
}) {
  const error = state.errors?.[name];
  const id = `f-${name}`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined}
        className={textareaClass}
      />
      <input
        type="file"
        aria-label={`Upload ${label}`}
        className="mt-1 block w-full max-w-full text-xs"
        accept=".yaml,.yml,.sh,.rc,text/*"
        onChange={async (e) => {
          const f = e.target.files?.[0];
          if (f) onChange(await f.text());
          e.target.value = '';
        }}
      />
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function CredentialForm({
  action,
  slug,
  persona,
  personaLabel,
  replacing,
  region,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  slug: string;
  persona: string;
  personaLabel: string;
  replacing: boolean;
  region: string;
}) {
  const [state, formAction] = useActionState(action, {});
  const [pending, startTransition] = useTransition();
  const [source, setSource] = useState<Source>('clouds_yaml');
  const [cloudsYaml, setCloudsYaml] = useState('');
  const [secureYaml, setSecureYaml] = useState('');
  const [openrc, setOpenrc] = useState('');
  const [type, setType] = useState(state.values?.type ?? 'application_credential');
  const entries = entriesOf(cloudsYaml);
  // Once saved, the pasted files and typed secrets leave the page (only the write-only view
  // remains): adjusted while rendering the new state, and the fields remounted by key.
  const [seenState, setSeenState] = useState(state);
  const [generation, setGeneration] = useState(0);
  if (state !== seenState) {
    setSeenState(state);
    if (state.ok) {
      setCloudsYaml('');
      setSecureYaml('');
      setOpenrc('');
      setGeneration((g) => g + 1);
    }
  }

  // Submitted without React's automatic form reset, so pasted text stays in place after an error.
  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    startTransition(() => formAction(fd));
  };

  const tab = (s: Source, label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={source === s}
      onClick={() => setSource(s)}
      className={`rounded-md px-3 py-1.5 text-sm ${source === s ? 'bg-blue-700 text-white' : 'border border-slate-300 bg-white hover:bg-slate-100'}`}
    >
      {label}
    </button>
  );

  return (
    <form
      key={generation}
      onSubmit={onSubmit}
      className="max-w-3xl min-w-0 space-y-4"
      noValidate
      aria-label={`${replacing ? 'Replace' : 'Set'} the ${personaLabel}`}
    >
      <FormMessage state={state} />
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="persona" value={persona} />
      <input type="hidden" name="source" value={source} />
      <div role="tablist" aria-label="How to provide the credential" className="flex flex-wrap gap-2">
        {tab('clouds_yaml', 'clouds.yaml')}
        {tab('openrc', 'openrc file')}
        {tab('fields', 'Enter fields')}
      </div>

      {source === 'clouds_yaml' && (
        <div className="space-y-3">
          <FileText
            name="clouds_yaml"
            label="clouds.yaml"
            value={cloudsYaml}
            onChange={setCloudsYaml}
            state={state}
            hint="Paste or upload; an application credential (auth_type: v3applicationcredential) of a plain project member is best."
          />
          <FileText
            name="secure_yaml"
            label="secure.yaml (optional)"
            value={secureYaml}
            onChange={setSecureYaml}
            state={state}
            rows={4}
            hint="If the secret lives in a separate secure.yaml, add it here; it is merged into the chosen entry."
          />
          {entries.length > 0 ? (
            <SelectField
              name="cloud"
              label="Entry"
              required
              state={state}
              defaultValue={state.values?.cloud ?? (entries.length === 1 ? entries[0] : undefined)}
              options={entries.map((n) => ({ value: n, label: n }))}
            />
          ) : (
            <Field
              name="cloud"
              label="Entry"
              state={state}
              hint="The name under clouds: to use (needed when the file has several)."
            />
          )}
        </div>
      )}

      {source === 'openrc' && (
        <div className="space-y-3">
          <FileText
            name="openrc"
            label="openrc file"
            value={openrc}
            onChange={setOpenrc}
            state={state}
            hint="The file Horizon offers under API Access (export OS_...= lines)."
          />
          <Field
            name="password"
            label="Password (if the file asks for it)"
            type="password"
            autoComplete="off"
            state={state}
          />
          <Field
            name="application_credential_secret"
            label="Application credential secret (if not in the file)"
            type="password"
            autoComplete="off"
            state={state}
          />
        </div>
      )}

      {source === 'fields' && (
        <div className="grid gap-3 md:grid-cols-2">
          <div className="md:col-span-2">
            <label htmlFor="f-type" className="block text-sm font-medium text-slate-800">
              Type
            </label>
            <select
              id="f-type"
              name="type"
              value={type}
              onChange={(e) => setType(e.target.value)}
              className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            >
              <option value="application_credential">Application credential</option>
              <option value="password">User and password</option>
            </select>
          </div>
          <div className="md:col-span-2">
            <Field
              name="auth_url"
              label="Keystone auth URL"
              required
              state={state}
              placeholder="https://keystone.example.com:5000/v3"
            />
          </div>
          {type === 'password' ? (
            <>
              <Field name="username" label="User name" required state={state} />
              <Field name="user_domain_name" label="User domain" state={state} defaultValue="Default" />
              <Field name="password" label="Password" type="password" required autoComplete="off" state={state} />
              <Field name="project_id" label="Project id" state={state} hint="Or project name and domain below." />
              <Field name="project_name" label="Project name" state={state} />
              <Field name="project_domain_name" label="Project domain" state={state} defaultValue="Default" />
            </>
          ) : (
            <>
              <Field name="application_credential_id" label="Application credential id" required state={state} />
              <Field
                name="application_credential_secret"
                label="Application credential secret"
                type="password"
                required
                autoComplete="off"
                state={state}
              />
            </>
          )}
          <Field name="region" label="Region" state={state} defaultValue={region} />
          <SelectField
            name="interface"
            label="Interface"
            state={state}
            defaultValue="public"
            required
            options={[
              { value: 'public', label: 'public' },
              { value: 'internal', label: 'internal' },
              { value: 'admin', label: 'admin' },
            ]}
          />
        </div>
      )}

      <Field
        name="ca_bundle"
        label="CA bundle (optional, PEM)"
        multiline
        state={state}
        hint="Only if the cloud's certificate is signed by a private CA. Not secret."
      />
      <CheckboxField
        name="allow_private_addresses"
        label="Allow private addresses"
        state={state}
        hint="For labs on loopback or private networks. Link-local and metadata addresses stay refused."
      />
      <button type="submit" className={variants.primary} disabled={pending} aria-busy={pending}>
        {pending
          ? 'Saving and testing…'
          : replacing
            ? `Replace & test the ${personaLabel}`
            : `Save & test the ${personaLabel}`}
      </button>
    </form>
  );
}

export function TestConnectionForm({
  action,
  slug,
  persona,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  slug: string;
  persona: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const failed = state.ok && state.message?.startsWith('Connection test failed');
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="persona" value={persona} />
      <button type="submit" className={variants.secondary} disabled={pending} aria-busy={pending}>
        {pending ? 'Testing…' : 'Test again'}
      </button>
      {state.message && (
        <div
          role={failed || !state.ok ? 'alert' : 'status'}
          className={`rounded-md border px-3 py-2 text-sm ${failed || !state.ok ? 'border-red-300 bg-red-50 text-red-900' : 'border-green-300 bg-green-50 text-green-900'}`}
        >
          {state.message}
        </div>
      )}
    </form>
  );
}
