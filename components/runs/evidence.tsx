import type { Evidence } from '@/lib/checks/types';
import { formatTimestamp, plural } from '@/lib/format';
import { CopyButton } from '@/components/ui/copy-button';

/** A JSON body indented for reading; anything else as it came. */
export function prettyBody(text: string): { text: string; json: boolean } {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return { text, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(t), null, 2), json: true };
  } catch {
    return { text, json: false };
  }
}

/**
 * The requests behind a verdict, in order; each collapsed until opened. Bodies were redacted before they were stored.
 */
export function EvidenceTimeline({ evidence }: { evidence: Evidence[] | null }) {
  if (!evidence)
    return <p className="text-xs text-slate-500">Evidence was pruned (verdicts and messages are kept 18 months).</p>;
  if (evidence.length === 0) return <p className="text-xs text-slate-500">No requests were needed for this verdict.</p>;
  return (
    <details className="mt-2 rounded border border-slate-200 bg-slate-50" data-testid="evidence">
      <summary className="cursor-pointer px-3 py-1.5 text-xs font-medium text-slate-700">
        Evidence: {plural(evidence.length, 'request')}
      </summary>
      <ol className="space-y-1 px-3 pb-3">
        {evidence.map((e) => (
          <li key={e.seq}>
            <details className="rounded border border-slate-200 bg-white">
              <summary className="cursor-pointer px-2 py-1 font-mono text-xs">
                <span className="text-slate-500">#{e.seq}</span> {e.method} <span className="break-all">{e.url}</span>{' '}
                <span className={e.status === null || e.status >= 400 ? 'text-red-700' : 'text-green-800'}>
                  {e.status ?? e.error ?? 'no answer'}
                </span>{' '}
                <span className="text-slate-500">{e.durationMs} ms</span>
              </summary>
              <div className="space-y-2 border-t border-slate-100 p-2 text-xs">
                <p className="text-slate-600">
                  {formatTimestamp(e.at)} · {e.service}
                  {e.error ? ` · ${e.error}` : ''}
                </p>
                {e.requestBody && <Body title="Request body" text={e.requestBody} />}
                {e.responseHeaders && (
                  <Body
                    title="Response headers"
                    text={Object.entries(e.responseHeaders)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join('\n')}
                  />
                )}
                {e.responseBody !== undefined && (
                  <Body title={`Response body${e.bodyTruncated ? ' (shortened)' : ''}`} text={e.responseBody} />
                )}
              </div>
            </details>
          </li>
        ))}
      </ol>
    </details>
  );
}

function Body({ title, text }: { title: string; text: string }) {
  const shown = prettyBody(text);
  return (
    <div data-testid="evidence-body" data-json={shown.json ? 'true' : undefined}>
      <div className="mb-1 flex items-center justify-between gap-2">
        <p className="font-medium text-slate-700">
          {title}
          {shown.json && <span className="ml-1 font-normal text-slate-500">(JSON, indented)</span>}
        </p>
        <CopyButton text={shown.text} label={`Copy ${title.toLowerCase().replace(/ \(.*\)$/, '')}`} />
      </div>
      {/* Focusable: a long body scrolls inside its box, by keyboard too. */}
      <pre
        tabIndex={0}
        aria-label={title}
        className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 text-slate-100"
      >
        {shown.text}
      </pre>
    </div>
  );
}
