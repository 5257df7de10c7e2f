'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { SubmitButton } from '@/components/ui/button';
import { FormMessage } from '@/components/ui/form';

/** Revoking needs a reason: it is published on the revocation list. */
export function RevokeForm({ action, id }: { action: (s: FormState, fd: FormData) => Promise<FormState>; id: string }) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="mt-3 space-y-2" data-testid="revoke-form">
      <input type="hidden" name="id" value={id} />
      <label className="block text-sm">
        Reason for revoking (published)
        <textarea
          name="reason"
          required
          minLength={5}
          maxLength={500}
          rows={2}
          defaultValue={state.values?.reason}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5"
        />
      </label>
      <SubmitButton variant="danger" pendingText="Revoking…">
        Revoke certificate
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
