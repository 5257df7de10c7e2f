import { apiRoute } from '@/lib/next/route';
import { reportDownload } from '@/lib/interop/downloads';

/**
 * Downloads: ?format=json (ours, with evidence), yaml (the SCS compliance-check report) or signed-yaml
 * (that report signed as the official runner uploads it; an imported run: the runner's own, as uploaded).
 */
export const GET = apiRoute<{ id: string }>(async (ctx, req, { id }) =>
  reportDownload(ctx, id, new URL(req.url).searchParams.get('format')),
);
