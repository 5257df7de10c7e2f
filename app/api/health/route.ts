import { db } from '@/lib/db';
import { checkHealth, healthResponse } from '@/lib/health';

export const dynamic = 'force-dynamic';

/**
 * Public by design: load balancers and monitors call it without credentials; it reveals no data.
 * Behind `npm start` the front process answers /api/health itself (scripts/start.ts), so a busy
 * web process cannot delay it; this route serves `next dev` and direct `next start`.
 */
export async function GET(): Promise<Response> {
  return healthResponse(await checkHealth((sql) => db.$queryRawUnsafe(sql)));
}
