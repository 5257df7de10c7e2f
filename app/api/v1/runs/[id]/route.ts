import { apiRoute } from '@/lib/next/route';
import { getRun } from '@/lib/runs';
import { runDto } from '@/lib/api/dto';

/** {id, cloud, status, startedAt, finishedAt, results: [{testcase, verdict, message, durationMs}]} */
export const GET = apiRoute<{ id: string }>(async (ctx, _req, { id }) => runDto(await getRun(ctx, id)));
