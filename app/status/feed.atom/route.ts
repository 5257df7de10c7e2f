import { feedResponse } from '@/lib/interop/feeds';

export const dynamic = 'force-dynamic';

/** Public: the Atom feed of status changes of every publicly listed cloud. */
export async function GET(req: Request): Promise<Response> {
  return feedResponse(req, null);
}
