import { VIEWER_HTML, viewerDocumentHeaders } from '@/lib/attestations/pdf-viewer';

// Public: the empty document of the sandboxed PDF preview (lib/attestations/pdf-viewer.ts); it holds
// no data, the page that frames it posts the file in.
export function GET() {
  return new Response(VIEWER_HTML, { headers: viewerDocumentHeaders() });
}
