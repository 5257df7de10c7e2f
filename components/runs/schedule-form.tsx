'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { SubmitButton } from '@/components/ui/button';
import { FormMessage, SelectField } from '@/components/ui/form';

export function ScheduleForm({
  action,
  slug,
  schedule,
}: {
  action: (s: FormState, fd: FormData) => Promise<FormState>;
  slug: string;
  schedule: string;
}) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="mt-3 flex flex-wrap items-end gap-2">
      <input type="hidden" name="slug" value={slug} />
      <div className="min-w-40">
        <SelectField
          name="schedule"
          label="Scheduled runs"
          state={state}
          defaultValue={schedule}
          required
          options={[
            { value: 'off', label: 'Off' },
            { value: 'hourly', label: 'Hourly' },
            { value: 'daily', label: 'Daily' },
            { value: 'weekly', label: 'Weekly' },
          ]}
        />
      </div>
      <SubmitButton variant="secondary">Save schedule</SubmitButton>
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}
