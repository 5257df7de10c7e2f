import { apiRoute } from '@/lib/next/route';
import { approveKeyApi, withdrawKeyApprovalApi } from '@/lib/interop/api';

export const dynamic = 'force-dynamic';

/** Staff approve a report-signing key: official-runner reports signed with it count. Audited. */
export const PUT = apiRoute<{ slug: string; name: string }>(
  async (ctx, _req, { slug, name }) => approveKeyApi(ctx, slug, name),
  { action: 'key.approve' },
);

/** Staff withdraw the approval: runs imported with the key are kept but stop counting. Audited. */
export const DELETE = apiRoute<{ slug: string; name: string }>(
  async (ctx, _req, { slug, name }) => withdrawKeyApprovalApi(ctx, slug, name),
  { action: 'key.unapprove' },
);
