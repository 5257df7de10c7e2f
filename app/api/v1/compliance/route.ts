import { apiRoute } from '@/lib/next/route';
import { overviewExport } from '@/lib/compliance/exports';

export const dynamic = 'force-dynamic';

// The overview of the clouds the caller may see, as JSON, CSV or a Markdown table.
export const GET = apiRoute(async (ctx, req) => {
  const sp = new URL(req.url).searchParams;
  const format = (['csv', 'markdown', 'json'] as const).find((f) => f === sp.get('format')) ?? 'json';
  const out = await overviewExport(
    ctx,
    {
      q: sp.get('q') ?? undefined,
      organization: sp.get('organization') ?? undefined,
      status: sp.get('status') ?? undefined,
      sort: sp.get('sort') ?? undefined,
      dir: sp.get('dir') ?? undefined,
    },
    format,
  );
  return new Response(out.body, {
    headers: {
      'Content-Type': out.type,
      'Cache-Control': 'no-store',
      ...(format === 'json' ? {} : { 'Content-Disposition': `attachment; filename="${out.filename}"` }),
    },
  });
});
