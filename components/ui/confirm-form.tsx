'use client';
import { useActionState, useId, useRef, useState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { FormMessage } from './form';
import { variants } from './button';

/**
 * A destructive or weighty action behind a confirmation dialog (native <dialog>: focus is
 * trapped and Escape cancels). Hidden fields identify the target. A published or irreversible
 * action can also ask for a word to be typed (`word`, e.g. the cloud's slug, like GitHub's "type
 * the repository name"): the button works only once it matches, and the server checks the typed
 * word too (field `confirmSlug`). `children` adds fields inside the dialog (e.g. a reason).
 */
export function ConfirmForm({
  action,
  fields,
  label,
  title,
  body,
  confirmLabel,
  variant = 'danger',
  word,
  testId,
  children,
}: {
  action: (state: FormState, fd: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: string;
  title: string;
  body: React.ReactNode;
  confirmLabel?: string;
  variant?: 'danger' | 'secondary' | 'primary';
  word?: string;
  testId?: string;
  children?: React.ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [typed, setTyped] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  // Several confirm forms may share a page (one per table row): ids must be unique.
  const titleId = useId();
  const inputId = useId();
  const ready = word === undefined || typed.trim() === word;
  return (
    <div data-testid={testId}>
      <button
        type="button"
        className={variants[variant]}
        disabled={pending}
        aria-busy={pending}
        onClick={() => {
          setTyped('');
          dialog.current?.showModal();
        }}
      >
        {pending ? 'Working…' : label}
      </button>
      <FormMessage state={state} />
      <dialog
        ref={dialog}
        className={`m-auto rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40 ${word === undefined ? 'w-[min(28rem,90vw)]' : 'w-[min(32rem,92vw)]'}`}
        aria-labelledby={titleId}
      >
        <form action={formAction} onSubmit={() => dialog.current?.close()} className="space-y-4 p-5">
          {Object.entries(fields).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div className="space-y-2 text-sm text-slate-700">{body}</div>
          {children}
          {word !== undefined && (
            <div>
              <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
                Type <code className="rounded bg-slate-100 px-1 break-all">{word}</code> to confirm
              </label>
              <input
                id={inputId}
                name="confirmSlug"
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                autoComplete="off"
                spellCheck={false}
                className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
              />
            </div>
          )}
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={variants.secondary} onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </button>
            <button type="submit" className={variants[variant]} disabled={!ready || pending} aria-busy={pending}>
              {pending ? 'Working…' : (confirmLabel ?? label)}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
