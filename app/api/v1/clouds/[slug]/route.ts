import { apiRoute } from '@/lib/next/route';
import { getCloudApi } from '@/lib/api/v1';

export const dynamic = 'force-dynamic';

export const GET = apiRoute<{ slug: string }>(async (ctx, _req, { slug }) => getCloudApi(ctx, slug));
