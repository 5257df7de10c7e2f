import { statusPageResponse } from '@/lib/compliance/public-pages';

export const dynamic = 'force-dynamic';

// Public (SCS-0004 §4): the status page of a publicly listed cloud (404 otherwise) as plain HTML
// without JavaScript; no documents, no evidence.
export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  return statusPageResponse(req, (await params).slug);
}
