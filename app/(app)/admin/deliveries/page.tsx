import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, requirePermission } from '@/lib/next/page';
import { EVENT_LABELS, listDeliveries } from '@/lib/notify';
import { PageHeader, Table, Td, Tag, EmptyState, formatDate } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';

export const metadata: Metadata = { title: 'Delivery log' };

const CHANNELS = [
  ['', 'All'],
  ['webhook', 'Webhooks'],
  ['email', 'E-mail'],
] as const;
const STATUSES = [
  ['', 'Any status'],
  ['queued', 'Queued'],
  ['delivered', 'Delivered'],
  ['failed', 'Failed'],
  ['not-sent', 'Not sent'],
] as const;

const TONES = { delivered: 'green', failed: 'red', pending: 'blue', held: 'yellow', dropped: 'slate' } as const;

export default async function DeliveriesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/admin/deliveries');
  requirePermission(ctx, 'webhook.log.read', { type: 'global' });
  const page = await orRefuse(listDeliveries(ctx, { page: sp.page, channel: sp.channel, status: sp.status }));
  const href = (p: { channel?: string; status?: string }) => {
    const q = new URLSearchParams();
    const channel = p.channel ?? sp.channel ?? '';
    const status = p.status ?? sp.status ?? '';
    if (channel) q.set('channel', channel);
    if (status) q.set('status', status);
    return q.size ? `/admin/deliveries?${q}` : '/admin/deliveries';
  };
  const filterLink = (active: boolean) => (active ? 'font-semibold underline' : 'underline-offset-2 hover:underline');
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
      {!page.email.configured && (
        <div
          role="note"
          data-testid="email-not-configured"
          className="mb-4 rounded-md border border-yellow-300 bg-yellow-50 px-3 py-2 text-sm text-yellow-950"
        >
          <p className="font-medium">
            E-mail is not configured (<code className="font-mono">SMTP_URL</code> is not set): e-mail deliveries are not
            sent.
          </p>
          <p className="mt-1">
            {page.email.held === 0
              ? 'None is waiting. '
              : `${page.email.held} ${page.email.held === 1 ? 'is' : 'are'} held now. `}
            Held e-mail is sent once <code className="font-mono">SMTP_URL</code> is set and the workers restart, if it
            was held less than {page.email.holdHours} h; older e-mail is dropped. Webhooks are not affected.
          </p>
        </div>
      )}
      <div className="mb-3 flex flex-wrap gap-x-6 gap-y-2 text-sm">
        <nav className="flex flex-wrap gap-3" aria-label="Channel">
          {CHANNELS.map(([v, l]) => (
            <Link key={v} href={href({ channel: v })} className={filterLink((sp.channel ?? '') === v)}>
              {l}
            </Link>
          ))}
        </nav>
        <nav className="flex flex-wrap gap-3" aria-label="Status">
          {STATUSES.map(([v, l]) => (
            <Link key={v} href={href({ status: v })} className={filterLink((sp.status ?? '') === v)}>
              {l}
            </Link>
          ))}
        </nav>
      </div>
      {page.items.length === 0 ? (
        <EmptyState title={sp.channel || sp.status ? 'No deliveries match' : 'Nothing delivered yet'} />
      ) : (
        <Table caption="Deliveries" head={['When', 'Notification', 'To', 'Status', 'Attempts']}>
          {page.items.map((d) => (
            <tr key={d.id} data-testid="delivery" data-status={d.status}>
              <Td className="whitespace-nowrap">{formatDate(d.createdAt)}</Td>
              <Td>
                <span className="block text-xs text-slate-600">{EVENT_LABELS[d.notification.kind]}</span>
                {d.notification.runId ? (
                  <Link className="underline" href={`/runs/${d.notification.runId}`}>
                    {d.notification.subject}
                  </Link>
                ) : d.notification.cloudSlug ? (
                  <Link className="underline" href={`/clouds/${d.notification.cloudSlug}`}>
                    {d.notification.subject}
                  </Link>
                ) : (
                  d.notification.subject
                )}
              </Td>
              <Td>
                <span className="text-slate-600">{d.channel === 'email' ? 'e-mail' : 'webhook'}</span>{' '}
                <span className="break-all font-mono text-xs">{d.target}</span>
              </Td>
              <Td className="min-w-48">
                <Tag tone={TONES[d.status]}>{d.statusText}</Tag>
                {d.nextAttemptAt && (
                  <p className="mt-1 text-xs text-slate-600">next attempt {formatDate(d.nextAttemptAt)}</p>
                )}
                {d.lastError && (
                  <p
                    className={`mt-1 text-xs ${d.status === 'failed' || d.status === 'pending' ? 'text-red-800' : 'text-slate-700'}`}
                    data-testid="delivery-reason"
                  >
                    {d.lastError}
                  </p>
                )}
              </Td>
              <Td>
                {d.log.length === 0 ? (
                  '0'
                ) : (
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
                )}
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
        params={{ channel: sp.channel, status: sp.status }}
      />
    </>
  );
}
