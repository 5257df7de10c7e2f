import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, requirePermission } from '@/lib/next/page';
import { listDeliveries } from '@/lib/notify';
import { PageHeader, Table, Td, Tag, EmptyState, formatDate } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';

export const metadata: Metadata = { title: 'Delivery log' };

export default async function DeliveriesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/admin/deliveries');
  requirePermission(ctx, 'webhook.log.read', { type: 'global' });
  const page = await orRefuse(listDeliveries(ctx, { page: sp.page, channel: sp.channel }));
  return (
    <>
      <PageHeader
        title="Delivery log"
        description="Every e-mail and webhook delivery of notifications, with each attempt."
      />
      <p className="mb-3 text-sm">
        Runs sent to SCS compliance monitors have their own log:{' '}
        <Link className="underline" href="/admin/forwarding">
          Forwarding log
        </Link>
        .
      </p>
      <nav className="mb-3 flex gap-3 text-sm" aria-label="Channel">
        {[
          ['', 'All'],
          ['webhook', 'Webhooks'],
          ['email', 'E-mail'],
        ].map(([v, l]) => (
          <Link
            key={v}
            href={v ? `/admin/deliveries?channel=${v}` : '/admin/deliveries'}
            className={(sp.channel ?? '') === v ? 'font-semibold underline' : 'underline-offset-2 hover:underline'}
          >
            {l}
          </Link>
        ))}
      </nav>
      {page.items.length === 0 ? (
        <EmptyState title="Nothing delivered yet" />
      ) : (
        <Table caption="Deliveries" head={['When', 'Notification', 'To', 'Status', 'Attempts']}>
          {page.items.map((d) => (
            <tr key={d.id}>
              <Td className="whitespace-nowrap">{formatDate(d.createdAt)}</Td>
              <Td>
                {d.notification.runId ? (
                  <Link className="underline" href={`/runs/${d.notification.runId}`}>
                    {d.notification.subject}
                  </Link>
                ) : (
                  d.notification.subject
                )}
              </Td>
              <Td>
                <span className="text-slate-600">{d.channel}</span>{' '}
                <span className="break-all font-mono text-xs">{d.target}</span>
              </Td>
              <Td>
                <Tag tone={d.status === 'delivered' ? 'green' : d.status === 'failed' ? 'red' : 'yellow'}>
                  {d.status}
                </Tag>
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
                        {a.error ? ` · ${a.error}` : ''} · {a.durationMs} ms
                      </li>
                    ))}
                  </ol>
                </details>
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination
        page={page.page}
        pages={page.pages}
        total={page.total}
        basePath="/admin/deliveries"
        params={{ channel: sp.channel }}
      />
    </>
  );
}
