import { apiRoute } from '@/lib/next/route';
import { prometheusMetrics } from '@/lib/compliance/exports';

export const dynamic = 'force-dynamic';

// Prometheus metrics; bearer token of a staff user (policy: metrics.read).
export const GET = apiRoute(
  async (ctx) =>
    new Response(await prometheusMetrics(ctx), {
      headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Cache-Control': 'no-store' },
    }),
);
