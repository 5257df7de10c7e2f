import { apiRoute } from '@/lib/next/route';
import { apiRunView, getRun } from '@/lib/runs';

/** {id, cloud, status, startedAt, finishedAt, results: [{testcase, verdict, message, durationMs}]} */
export const GET = apiRoute<{ id: string }>(async (ctx, _req, { id }) => apiRunView(await getRun(ctx, id)));
