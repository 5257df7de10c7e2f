import { apiRoute } from '@/lib/next/route';
import { cloudHistory, parsePeriod } from '@/lib/compliance';
import { historyCsv, historyJson } from '@/lib/compliance/exports';

export const dynamic = 'force-dynamic';

// A cloud's history (one verdict per day and testcase, and the status per day) as JSON or CSV.
export const GET = apiRoute<{ slug: string }>(async (ctx, req, { slug }) => {
  const sp = new URL(req.url).searchParams;
  const h = await cloudHistory(ctx, slug, parsePeriod(sp.get('period')));
  if (sp.get('format') === 'csv') {
    return new Response(historyCsv(slug, h), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="history-${slug}-${h.from}-${h.to}.csv"`,
        'Cache-Control': 'no-store',
      },
    });
  }
  return historyJson(slug, h);
});
