import { revocationListResponse } from '@/lib/compliance/public-pages';

export const dynamic = 'force-dynamic';

// Public (SCS-0004 §7): every revoked certificate with its reason, as plain HTML without JavaScript.
export function GET(req: Request): Promise<Response> {
  return revocationListResponse(req);
}
