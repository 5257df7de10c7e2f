import { apiRoute } from '@/lib/next/route';
import { getRun, jsonReport, scsReportYaml } from '@/lib/runs';

/** Downloads: ?format=yaml (shaped like SCS's compliance-check report) or json (ours, with evidence). */
export const GET = apiRoute<{ id: string }>(async (ctx, req, { id }) => {
  const yaml = new URL(req.url).searchParams.get('format') === 'yaml';
  const run = await getRun(ctx, id, { evidence: !yaml });
  const name = `run-${run.cloud.slug}-${run.id.slice(0, 8)}`;
  const headers = {
    'Cache-Control': 'no-store',
    'Content-Disposition': `attachment; filename="${name}.${yaml ? 'yaml' : 'json'}"`,
  };
  if (yaml)
    return new Response(scsReportYaml(run), {
      headers: { ...headers, 'Content-Type': 'application/yaml; charset=utf-8' },
    });
  return new Response(JSON.stringify(jsonReport(run), null, 2), {
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
  });
});
