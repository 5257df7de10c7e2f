import { feedResponse } from '@/lib/interop/feeds';

export const dynamic = 'force-dynamic';

/** Public: the Atom feed of one publicly listed cloud's status changes (404 otherwise). */
export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  return feedResponse(req, (await params).slug);
}
