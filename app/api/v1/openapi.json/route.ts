import { openApiDocument } from '@/lib/api/openapi';

/** Public by design: the API's description reveals no data and clients fetch it before they have a token. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
