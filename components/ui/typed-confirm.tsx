'use client';
import { useActionState, useId, useRef, useState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { FormMessage } from './form';
import { variants } from './button';

/**
 * A published or irreversible action behind a dialog that says what will happen and asks the
 * person to type a word (the cloud's slug) before the button works, like GitHub's "type the
 * repository name". The server checks the typed word too (field `confirmSlug`).
 */
export function TypedConfirmForm({
  action,
  fields,
  label,
  title,
  body,
  word,
  confirmLabel,
  variant = 'danger',
  testId,
  children,
}: {
  action: (state: FormState, fd: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: string;
  title: string;
  body: React.ReactNode;
  /** What must be typed. */
  word: string;
  confirmLabel: string;
  variant?: 'danger' | 'primary';
  testId?: string;
  /** More fields inside the dialog (e.g. a reason). */
  children?: React.ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [typed, setTyped] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const inputId = useId();
  const matches = typed.trim() === word;
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
      <div className="mt-2">
        <FormMessage state={state} />
      </div>
      <dialog
        ref={dialog}
        className="m-auto w-[min(32rem,92vw)] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
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
          <div>
            <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
              Type <code className="rounded bg-slate-100 px-1">{word}</code> to confirm
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
          <div className="flex flex-wrap justify-end gap-2">
            <button type="button" className={variants.secondary} onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </button>
            <button type="submit" className={variants[variant]} disabled={!matches || pending} aria-busy={pending}>
              {confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
