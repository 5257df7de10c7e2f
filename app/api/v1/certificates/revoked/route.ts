import { apiRoute } from '@/lib/next/route';
import { revocationList } from '@/lib/compliance';
import { revocationDto } from '@/lib/api/dto';

export const dynamic = 'force-dynamic';

// Public (no token): the certificate revocation list (SCS-0004 §7).
export const GET = apiRoute(
  async () => {
    const items = await revocationList();
    return Response.json(
      {
        items: items.map(revocationDto),
      },
      { headers: { 'Cache-Control': 'public, max-age=60' } },
    );
  },
  { actor: 'optional' },
);
