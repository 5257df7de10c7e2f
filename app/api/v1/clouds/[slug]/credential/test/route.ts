import { apiRoute } from '@/lib/next/route';
import { apiTestCredential } from '@/lib/api/credentials';

/** Authenticate with the stored credential and report roles, project, services, key-manager endpoint and warnings. */
export const POST = apiRoute<{ slug: string }>((ctx, req, { slug }) =>
  apiTestCredential(ctx, slug, new URL(req.url).searchParams.get('persona')),
);
