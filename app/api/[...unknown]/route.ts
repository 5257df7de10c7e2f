// Any /api/ path without a route of its own: a JSON 404 for every method, instead of the HTML 404 page
// (which would also try to read a POSTed body as a form action and fail on a malformed one).
const notFound = (): Response =>
  Response.json(
    { error: { code: 'not_found', message: 'No such API operation; see /api/v1/openapi.json.' } },
    { status: 404, headers: { 'Cache-Control': 'no-store' } },
  );

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
