import { formatBytes } from '@/lib/format';
import { PdfPreview } from './pdf-preview';
import { PREVIEW_DETAILS_CLASS, PREVIEW_SUMMARY_CLASS } from './preview-style';

export interface PreviewFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
}

/** The URL a file is downloaded from; `inline` asks for a preview (content sniffed again, images inline). */
export function fileUrl(attestationId: string, fileId: string, inline = false): string {
  return `/api/v1/attestations/${attestationId}/files/${fileId}${inline ? '?inline=1' : ''}`;
}

/**
 * An evidence file shown in place: images through <img> (the file route sniffs them again and
 * answers them inline with the same nosniff, sandbox and no-store headers as downloads), text as
 * text (read on the server, escaped by React, never interpreted), PDFs page by page in the
 * sandboxed pdf.js viewer (./pdf-preview.tsx).
 */
export function EvidencePreview({
  attestationId,
  file,
  text,
}: {
  attestationId: string;
  file: PreviewFile;
  /** The beginning of a text file (UTF-8), read by the page. */
  text?: { content: string; truncated: boolean } | null;
}) {
  const url = fileUrl(attestationId, file.id);
  if (file.mime === 'application/pdf')
    return <PdfPreview src={fileUrl(attestationId, file.id, true)} name={file.name} downloadUrl={url} />;
  return (
    <details className={PREVIEW_DETAILS_CLASS} data-testid="evidence-preview">
      <summary className={PREVIEW_SUMMARY_CLASS}>Preview {file.name}</summary>
      <div className="border-t border-slate-100 p-2">
        {file.mime === 'image/png' || file.mime === 'image/jpeg' ? (
          // eslint-disable-next-line @next/next/no-img-element -- a private file behind the session: no optimizer
          <img
            src={fileUrl(attestationId, file.id, true)}
            alt={`Evidence image ${file.name}`}
            className="max-h-96 max-w-full rounded border border-slate-200 object-contain"
            loading="lazy"
          />
        ) : file.mime.startsWith('text/') && text ? (
          <pre
            tabIndex={0}
            aria-label={`Text of ${file.name}`}
            className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs text-slate-900"
            data-testid="text-preview"
          >
            {text.content}
            {text.truncated && '\n… (shortened; download the file for all of it)'}
          </pre>
        ) : (
          <p className="text-xs text-slate-600">
            {file.mime}, {formatBytes(file.size)}: no preview in the page;{' '}
            <a className="text-blue-800 underline" href={url} download>
              download it
            </a>{' '}
            to read it.
          </p>
        )}
      </div>
    </details>
  );
}
