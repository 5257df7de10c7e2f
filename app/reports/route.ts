import { reportsResponse } from '@/lib/interop/upload';
import { clientAddressOf } from '@/lib/auth/client-address';

export const dynamic = 'force-dynamic';

// POST /reports: signed reports of the official SCS runner, in the SCS compliance monitor's protocol
// (HTTP Basic auth subject:API token, Content-Type application/x-signed-yaml, "<signature>&<YAML>").
// Not an apiRoute: the body is signed YAML, read with its own cap, and the answers follow the monitor.
export async function POST(req: Request): Promise<Response> {
  return reportsResponse(req, clientAddressOf(req.headers));
}
