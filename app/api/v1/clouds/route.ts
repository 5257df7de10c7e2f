import { apiRoute } from '@/lib/next/route';
import { createCloudApi, listCloudsApi } from '@/lib/api/v1';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (ctx, req) => listCloudsApi(ctx, req));
export const POST = apiRoute(async (ctx, req) => createCloudApi(ctx, req), { status: 201 });
