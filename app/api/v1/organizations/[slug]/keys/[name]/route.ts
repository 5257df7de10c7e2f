import { apiRoute } from '@/lib/next/route';
import { deleteKeyApi } from '@/lib/interop/api';

export const dynamic = 'force-dynamic';

/** Remove a report-signing key (audited); reports signed with it are refused from then on. */
export const DELETE = apiRoute<{ slug: string; name: string }>(
  async (ctx, _req, { slug, name }) => deleteKeyApi(ctx, slug, name),
  { action: 'key.delete' },
);
