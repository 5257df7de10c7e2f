import { apiRoute } from '@/lib/next/route';
import { getMe } from '@/lib/api/v1';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (ctx) => getMe(ctx));
