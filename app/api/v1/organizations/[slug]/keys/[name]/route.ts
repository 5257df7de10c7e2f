import { apiRoute } from '@/lib/next/route';
import { deleteKeyApi } from '@/lib/interop/api';

export const dynamic = 'force-dynamic';

/**
 * Remove a report-signing key (audited): reports signed with it are refused from then on, and the runs
 * it signed stop counting. Only staff may remove an approved key (403 for a CSP, saying why).
 */
export const DELETE = apiRoute<{ slug: string; name: string }>(
  async (ctx, _req, { slug, name }) => deleteKeyApi(ctx, slug, name),
  { action: 'key.delete' },
);
