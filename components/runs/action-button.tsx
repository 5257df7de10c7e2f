'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { SubmitButton } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form';

/** A one-button form for a server action; hidden fields identify its target. */
export function ActionButton({
  action,
  fields,
  label,
  pendingText,
  variant = 'primary',
  testId,
}: {
  action: (state: FormState, fd: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: string;
  pendingText?: string;
  variant?: 'primary' | 'secondary' | 'danger';
  testId?: string;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="flex flex-col items-end gap-2" data-testid={testId}>
      {Object.entries(fields).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <SubmitButton variant={variant} pendingText={pendingText}>
        {label}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
