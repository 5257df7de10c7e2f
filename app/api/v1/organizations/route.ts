import { apiRoute } from '@/lib/next/route';
import { createOrganizationApi, listOrganizationsApi } from '@/lib/api/v1';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (ctx, req) => listOrganizationsApi(ctx, req));
export const POST = apiRoute(async (ctx, req) => createOrganizationApi(ctx, req), { status: 201 });
