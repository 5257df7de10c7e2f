'use server';
import { formAction } from '@/lib/next/action';
import { requestRun, setSchedule } from '@/lib/jobs';
import { cancelRun } from '@/lib/runs';
import type { FormState } from '@/lib/next/form-state';

/** "Run now" on the cloud page: opens the run (a new one, or the one already queued or running). */
export async function startRunAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    const { run } = await requestRun(ctx, { slug: v.slug ?? '' }, { trigger: 'manual' });
    return { redirect: `/runs/${run.id}` };
  });
}

export async function cancelRunAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const run = await cancelRun(ctx, v.id ?? '');
      return {
        message: run.status === 'cancelled' ? 'Run cancelled.' : 'The worker stops the run at its next heartbeat.',
      };
    },
    { revalidate: '/runs' },
  );
}

export async function setScheduleAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const r = await setSchedule(ctx, v.slug ?? '', { schedule: v.schedule });
      return {
        message: r.nextRunAt
          ? `Schedule saved; next run ${r.nextRunAt.toISOString().replace('T', ' ').slice(0, 16)} UTC.`
          : 'Scheduled runs are off for this cloud.',
      };
    },
    { revalidate: '/clouds' },
  );
}
