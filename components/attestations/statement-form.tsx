'use client';
import { useActionState, useEffect, useRef, useState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import {
  FIELDS,
  IMPLEMENTATIONS,
  KEK_LOCATIONS,
  QUESTIONS,
  RBAC_MODES,
  REQUIRED_FIELDS,
  SECRET_STORES,
  YES_NO,
  type Statement,
  type StatementField,
} from '@/lib/attestations/statement';
import { Field, FormMessage, SelectField } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';
import { clauseOf } from './statement-view';
import { formatTimestamp } from '@/lib/format';

const CHOICES: Partial<Record<StatementField, Record<string, string>>> = {
  implementation: IMPLEMENTATIONS,
  secretStore: SECRET_STORES,
  kekLocation: KEK_LOCATIONS,
  kekPlaintextOnHost: YES_NO,
  keysEncrypted: YES_NO,
  kekStoredApart: YES_NO,
  rbac: RBAC_MODES,
};

/**
 * The statement, one question per clause with the clause's text beside it. Drafts save as you
 * go (a quiet PATCH to the API a moment after typing stops) and with the Save button (the
 * server action, which keeps what was typed when something is refused).
 */
export function StatementForm({
  id,
  action,
  defaults,
  problems = {},
}: {
  id: string;
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  defaults: Statement;
  /** Why the last submit was refused, per field (shown beside each question until it is edited). */
  problems?: Record<string, string>;
}) {
  const [state, formAction] = useActionState(action, {});
  const [edited, setEdited] = useState<Set<string>>(() => new Set());
  // The save button's own refusals win; the submit's problems stay until their question changes.
  const shown: FormState = {
    ...state,
    errors: {
      ...Object.fromEntries(Object.entries(problems).filter(([k]) => !edited.has(k))),
      ...(state.errors ?? {}),
    },
  };
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [autosave, setAutosave] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  function scheduleSave() {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      if (!form.current) return;
      const fd = new FormData(form.current);
      const body: Record<string, string> = {};
      for (const k of FIELDS) {
        const v = fd.get(k);
        if (typeof v === 'string') body[k] = v;
      }
      setAutosave({ ok: true, text: 'Saving…' });
      try {
        const res = await fetch(`/api/v1/attestations/${id}`, {
          method: 'PATCH',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.ok) setAutosave({ ok: true, text: `Draft saved at ${formatTimestamp(new Date())}` });
        else {
          const j = (await res.json().catch(() => null)) as {
            error?: { message?: string; fields?: Record<string, string> };
          } | null;
          const fields = j?.error?.fields
            ? ` (${Object.entries(j.error.fields)
                .map(([k, m]) => `${QUESTIONS[k as StatementField] ?? k}: ${m}`)
                .join('; ')})`
            : '';
          setAutosave({ ok: false, text: `Not saved: ${j?.error?.message ?? `HTTP ${res.status}`}${fields}` });
        }
      } catch {
        setAutosave({ ok: false, text: 'Not saved: the server could not be reached. Your answers stay in the form.' });
      }
    }, 1200);
  }

  const row = (f: StatementField, input: React.ReactNode) => (
    <div key={f} className="grid gap-2 border-b border-slate-100 py-3 md:grid-cols-2 md:gap-6">
      <div>{input}</div>
      <blockquote
        className="border-l-2 border-slate-300 pl-3 text-xs italic text-slate-600"
        data-testid={`clause-${f}`}
      >
        <span className="sr-only">scs-0116 clause: </span>
        {clauseOf(f)}
      </blockquote>
    </div>
  );

  return (
    <form
      ref={form}
      action={formAction}
      onInput={scheduleSave}
      onChange={(e) => {
        const name = (e.target as unknown as { name?: string }).name;
        if (name && problems[name] && !edited.has(name)) setEdited(new Set([...edited, name]));
        scheduleSave();
      }}
      className="space-y-2"
      noValidate
      data-testid="statement-form"
    >
      <input type="hidden" name="id" value={id} />
      <FormMessage state={state} />
      <p className="text-xs text-slate-600">
        <span className="text-red-700" aria-hidden>
          *
        </span>{' '}
        Required for submitting; a draft may be saved with gaps.
      </p>
      {FIELDS.map((f) => {
        const required = REQUIRED_FIELDS.includes(f);
        const options = CHOICES[f];
        if (options) {
          return row(
            f,
            <SelectField
              name={f}
              label={QUESTIONS[f]}
              required={required}
              state={shown}
              defaultValue={defaults[f]}
              options={Object.entries(options).map(([value, label]) => ({ value, label }))}
            />,
          );
        }
        return row(
          f,
          <Field
            name={f}
            label={QUESTIONS[f]}
            required={required}
            state={shown}
            defaultValue={defaults[f]}
            type={f === 'validFrom' ? 'date' : f === 'contactEmail' ? 'email' : 'text'}
            multiline={f === 'protectionDescription'}
            hint={
              f === 'otherProduct'
                ? 'Only when the key manager is not Barbican.'
                : f === 'secretStoreOther'
                  ? 'Only when the secret store is "Other".'
                  : undefined
            }
          />,
        );
      })}
      <div className="flex flex-wrap items-center gap-3 pt-2">
        <SubmitButton pendingText="Saving…">Save draft</SubmitButton>
        <p
          role="status"
          aria-live="polite"
          data-testid="autosave"
          className={`text-sm ${autosave && !autosave.ok ? 'text-red-700' : 'text-slate-600'}`}
        >
          {autosave?.text ?? 'Answers save as you type.'}
        </p>
      </div>
    </form>
  );
}
