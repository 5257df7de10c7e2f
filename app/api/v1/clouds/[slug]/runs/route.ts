import { apiRoute } from '@/lib/next/route';
import { readJsonBody } from '@/lib/api/body';
import { requestRun } from '@/lib/jobs';
import { listRunsApi } from '@/lib/interop/api';

/** The cloud's runs, newest first, paged (?page, ?pageSize); imported official-runner reports included. */
export const GET = apiRoute<{ slug: string }>(async (ctx, req, { slug }) => listRunsApi(ctx, slug, req), {
  action: 'run.read',
});

/**
 * Start a run of the cloud's checks; answers {id} (201), or the active run's {id} (200) when one is queued or running.
 */
export const POST = apiRoute<{ slug: string }>(async (ctx, req, { slug }) => {
  const { run, created } = await requestRun(
    ctx,
    { slug },
    { trigger: 'api', input: (await readJsonBody(req, { optional: true })) ?? {} },
  );
  return Response.json(
    { id: run.id, status: run.status, created },
    { status: created ? 201 : 200, headers: { 'Cache-Control': 'no-store', Location: `/api/v1/runs/${run.id}` } },
  );
});
