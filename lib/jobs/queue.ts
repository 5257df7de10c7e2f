// Run requests from the button, the API, the scheduler: one row (or the active one), one job.

import type { RequestContext } from '../context';
import { createRun, type CreatedRun, type RunTrigger } from '../runs';
import { enqueueRun } from './boss';

export async function requestRun(
  ctx: RequestContext,
  target: { slug: string } | { cloudId: string },
  opts: { trigger: RunTrigger; testcases?: string[]; input?: unknown },
): Promise<CreatedRun> {
  const created = await createRun(ctx, target, opts);
  if (created.created) {
    try {
      await enqueueRun(created.run.id);
    } catch (err) {
      // The run stays queued; the worker's orphan sweep sends its job again.
      console.error(
        `[queue] could not enqueue run ${created.run.id}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return created;
}
