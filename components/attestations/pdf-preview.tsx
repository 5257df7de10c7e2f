'use client';
import { useEffect, useRef, useState } from 'react';
import { variants } from '@/components/ui/button';
import { PREVIEW_DETAILS_CLASS, PREVIEW_SUMMARY_CLASS } from './preview-style';

/** The sandboxed viewer document (lib/attestations/pdf-viewer.ts); it holds no data. */
const VIEWER_SRC = '/viewer/pdf';
const MAX_FRAME_HEIGHT = 3000;

type State =
  | { kind: 'loading' }
  | { kind: 'shown'; page: number; pages: number; height: number }
  | { kind: 'error'; message: string };

/** What the file route's refusals mean to the reviewer (the route sniffs the content again). */
const FETCH_ERRORS: Record<number, string> = {
  404: 'The file is no longer there.',
  415: 'Its content is not a PDF, so it is not shown as one.',
  500: 'The stored file does not match its SHA-256, so it is not shown.',
};
/** The viewer's codes; its words are never shown (it is treated like the file it draws). */
const VIEWER_ERRORS: Record<string, string> = {
  'not-pdf': 'Its content is not a PDF, so it is not shown as one.',
  password: 'The PDF is protected by a password.',
  broken: 'The PDF could not be read.',
};

/**
 * A PDF evidence file shown in place, page by page: the file is fetched here (as the signed-in
 * user, through the policy; the route re-sniffs it) and posted into an <iframe sandbox="allow-scripts">
 * that runs pdf.js from this app with its own strict policy (lib/attestations/pdf-viewer.ts). The
 * frame is an opaque origin: whatever the PDF holds cannot reach this page, its cookies or the API.
 * Messages from it count only when they come from that frame, and only their numbers and codes are used.
 */
export function PdfPreview({ src, name, downloadUrl }: { src: string; name: string; downloadUrl: string }) {
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const details = useRef<HTMLDetailsElement>(null);
  const frame = useRef<HTMLIFrameElement>(null);

  const close = () => {
    if (!details.current?.open) return;
    details.current.open = false;
    details.current.querySelector('summary')?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const abort = new AbortController();
    let bytes: ArrayBuffer | null = null;
    let ready = false;
    // The frame's origin is opaque ("null"), so it cannot be named as the target: the message goes
    // to this one frame's window, which only ever holds our viewer (nothing in it navigates).
    const post = (message: unknown) => frame.current?.contentWindow?.postMessage(message, '*');
    const send = () => {
      if (bytes && ready) post({ type: 'open', bytes, page: 1 });
    };
    fetch(src, { signal: abort.signal, credentials: 'same-origin' })
      .then(async (r) => {
        if (!r.ok)
          return setState({ kind: 'error', message: FETCH_ERRORS[r.status] ?? 'The file could not be loaded.' });
        bytes = await r.arrayBuffer();
        send();
      })
      .catch(() => {
        if (!abort.signal.aborted) setState({ kind: 'error', message: 'The file could not be loaded.' });
      });
    const onMessage = (e: MessageEvent) => {
      if (!frame.current || e.source !== frame.current.contentWindow) return;
      const m = e.data as { type?: unknown; page?: unknown; pages?: unknown; height?: unknown; code?: unknown };
      if (m?.type === 'ready') {
        ready = true;
        send();
      } else if (m?.type === 'shown' && isCount(m.page) && isCount(m.pages) && isCount(m.height)) {
        setState({ kind: 'shown', page: m.page, pages: m.pages, height: Math.min(m.height, MAX_FRAME_HEIGHT) });
      } else if (m?.type === 'error') {
        setState({ kind: 'error', message: VIEWER_ERRORS[String(m.code)] ?? VIEWER_ERRORS.broken });
      } else if (m?.type === 'escape') {
        close();
      }
    };
    window.addEventListener('message', onMessage);
    return () => {
      abort.abort();
      window.removeEventListener('message', onMessage);
    };
  }, [open, src]);

  const goTo = (page: number) => frame.current?.contentWindow?.postMessage({ type: 'page', page }, '*');
  const shown = state.kind === 'shown' ? state : null;

  return (
    <details
      ref={details}
      className={PREVIEW_DETAILS_CLASS}
      data-testid="evidence-preview"
      onToggle={(e) => {
        // Each opening draws anew (closing drops the frame and the bytes).
        if (e.currentTarget.open) setState({ kind: 'loading' });
        setOpen(e.currentTarget.open);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') close();
      }}
    >
      <summary className={PREVIEW_SUMMARY_CLASS}>Preview {name}</summary>
      {open && (
        <div className="border-t border-slate-100 p-2" data-testid="pdf-preview" data-state={state.kind}>
          {state.kind === 'error' ? (
            <p className="text-xs text-slate-700" role="alert">
              {state.message}{' '}
              <a className="text-blue-800 underline" href={downloadUrl} download>
                Download it
              </a>{' '}
              to inspect it with care.
            </p>
          ) : (
            <>
              <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
                <button
                  type="button"
                  className={variants.secondary}
                  disabled={!shown || shown.page <= 1}
                  onClick={() => shown && goTo(shown.page - 1)}
                >
                  Previous page
                </button>
                <button
                  type="button"
                  className={variants.secondary}
                  disabled={!shown || shown.page >= shown.pages}
                  onClick={() => shown && goTo(shown.page + 1)}
                >
                  Next page
                </button>
                <span role="status" className="text-slate-700" data-testid="pdf-page">
                  {shown ? `Page ${shown.page} of ${shown.pages}` : 'Drawing page 1…'}
                </span>
                <button type="button" className={`${variants.secondary} ml-auto`} onClick={close}>
                  Close preview
                </button>
              </div>
              <iframe
                ref={frame}
                src={VIEWER_SRC}
                sandbox="allow-scripts"
                referrerPolicy="no-referrer"
                title={shown ? `${name}, page ${shown.page} of ${shown.pages}` : `${name}, being drawn`}
                className={`block w-full rounded ${shown ? 'border border-slate-200' : 'border-0'}`}
                // Laid out at full width from the start: the viewer draws the page to its width.
                style={{ height: shown ? shown.height : 0 }}
              />
            </>
          )}
        </div>
      )}
    </details>
  );
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}
