import { statusListResponse } from '@/lib/compliance/public-pages';

export const dynamic = 'force-dynamic';

// Public (SCS-0004 §4): publicly listed clouds only, as plain HTML without JavaScript (lib/compliance/public-html.ts).
export function GET(req: Request): Promise<Response> {
  return statusListResponse(req);
}
