'use client';
import { useActionState, useId, useRef } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { FormMessage } from './form';
import { variants } from './button';

/**
 * A destructive or weighty action behind a confirmation dialog (native <dialog>: focus is
 * trapped and Escape cancels). Hidden fields identify the target.
 */
export function ConfirmForm({
  action,
  fields,
  label,
  title,
  body,
  confirmLabel,
  variant = 'danger',
}: {
  action: (state: FormState, fd: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: string;
  title: string;
  body: React.ReactNode;
  confirmLabel?: string;
  variant?: 'danger' | 'secondary' | 'primary';
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const dialog = useRef<HTMLDialogElement>(null);
  // Several confirm forms may share a page (one per table row): ids must be unique.
  const titleId = useId();
  return (
    <div>
      <button
        type="button"
        className={variants[variant]}
        disabled={pending}
        aria-busy={pending}
        onClick={() => dialog.current?.showModal()}
      >
        {pending ? 'Working…' : label}
      </button>
      <FormMessage state={state} />
      <dialog
        ref={dialog}
        className="m-auto w-[min(28rem,90vw)] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
        aria-labelledby={titleId}
      >
        <form action={formAction} onSubmit={() => dialog.current?.close()} className="space-y-4 p-5">
          {Object.entries(fields).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div className="text-sm text-slate-700">{body}</div>
          <div className="flex justify-end gap-2">
            <button type="button" className={variants.secondary} onClick={() => dialog.current?.close()} autoFocus>
              Cancel
            </button>
            <button type="submit" className={variants[variant]} disabled={pending} aria-busy={pending}>
              {pending ? 'Working…' : (confirmLabel ?? label)}
            </button>
          </div>
        </form>
      </dialog>
    </div>
  );
}
