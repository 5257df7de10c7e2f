import type { Evidence } from '@/lib/checks/types';

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
        Evidence: {evidence.length} request{evidence.length === 1 ? '' : 's'}
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
                  {e.at} · {e.service}
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
  return (
    <div>
      <p className="font-medium text-slate-700">{title}</p>
      <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-900 p-2 text-slate-100">
        {text}
      </pre>
    </div>
  );
}
