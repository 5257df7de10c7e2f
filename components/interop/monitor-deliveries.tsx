import Link from 'next/link';
import type { DeliveryView } from '@/lib/interop/forwarding';
import type { FormState } from '@/lib/next/form-state';
import { Table, Td, Tag, EmptyState, formatDate } from '@/components/ui/layout';
import { ActionButton } from '@/components/runs/action-button';

/** The forwarding log: one row per forwarded run, its attempts folded out; staff may send one again. */
export function MonitorDeliveries({
  items,
  showCloud,
  retry,
}: {
  items: DeliveryView[];
  showCloud?: boolean;
  retry?: (s: FormState, fd: FormData) => Promise<FormState>;
}) {
  if (items.length === 0) return <EmptyState title="No run has been forwarded yet." />;
  return (
    <Table
      caption="Runs forwarded to compliance monitors"
      head={['When', ...(showCloud ? ['Cloud'] : []), 'Run', 'To', 'Status', 'Attempts', ...(retry ? [''] : [])]}
    >
      {items.map((d) => (
        <tr key={d.id} data-testid={`monitor-delivery-${d.runId}`}>
          <Td className="whitespace-nowrap">{formatDate(d.createdAt)}</Td>
          {showCloud && (
            <Td>
              <Link className="underline" href={`/clouds/${d.cloud}/forwarding`}>
                {d.cloud}
              </Link>
            </Td>
          )}
          <Td>
            <Link className="font-mono text-xs underline" href={`/runs/${d.runId}`}>
              {d.runId.slice(0, 8)}
            </Link>
          </Td>
          <Td>
            <span className="break-all font-mono text-xs">{d.url}</span>
            <span className="block text-xs text-slate-600">as {d.account}</span>
          </Td>
          <Td>
            <Tag tone={d.status === 'delivered' ? 'green' : d.status === 'failed' ? 'red' : 'yellow'}>{d.status}</Tag>
            {d.status === 'pending' && d.nextAttemptAt && (
              <span className="block text-xs text-slate-600">next try {formatDate(d.nextAttemptAt)}</span>
            )}
            {d.lastError && <p className="mt-1 text-xs text-red-800">{d.lastError}</p>}
          </Td>
          <Td>
            <details>
              <summary className="cursor-pointer">{d.attempts}</summary>
              <ol className="mt-1 space-y-0.5 text-xs">
                {d.log.map((a, i) => (
                  <li key={i}>
                    {formatDate(a.at)} · {a.ok ? 'ok' : 'failed'}
                    {a.statusCode ? ` · ${a.statusCode}` : ''}
                    {a.error ? ` · ${a.error}` : ''}
                    {a.answer ? ` · ${a.answer}` : ''} · {a.durationMs} ms
                  </li>
                ))}
              </ol>
            </details>
          </Td>
          {retry && (
            <Td>
              {d.status !== 'delivered' && (
                <ActionButton
                  action={retry}
                  fields={{ id: d.id, slug: showCloud ? '' : d.cloud }}
                  label="Send again"
                  pendingText="Sending…"
                  variant="secondary"
                />
              )}
            </Td>
          )}
        </tr>
      ))}
    </Table>
  );
}
