import { apiRoute } from '@/lib/next/route';
import { signingKeyResponse } from '@/lib/interop/api';

export const dynamic = 'force-dynamic';

/** Public: this instance's report-signing key, one OpenSSH line (text/plain), for compliance monitors. */
export const GET = apiRoute(async () => signingKeyResponse(), { actor: 'optional' });
