import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, requirePermission } from '@/lib/next/page';
import { listDeliveries } from '@/lib/interop/forwarding';
import { PageHeader } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';
import { MonitorDeliveries } from '@/components/interop/monitor-deliveries';
import { retryDeliveryAction } from '../../clouds/[slug]/forwarding/actions';

export const metadata: Metadata = { title: 'Forwarding log' };

export default async function ForwardingLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/admin/forwarding');
  requirePermission(ctx, 'webhook.log.read', { type: 'global' });
  const page = await orRefuse(listDeliveries(ctx, { page: sp.page, status: sp.status }));
  return (
    <>
      <PageHeader
        title="Forwarding log"
        description={
          <>
            Runs sent to SCS compliance monitors, with each attempt (beside the{' '}
            <Link className="underline" href="/admin/deliveries">
              notification delivery log
            </Link>
            ). Forwarding is set per cloud, on the cloud&apos;s Forwarding page.
          </>
        }
      />
      <nav className="mb-3 flex gap-3 text-sm" aria-label="Status">
        {[
          ['', 'All'],
          ['pending', 'Waiting'],
          ['delivered', 'Delivered'],
          ['failed', 'Failed'],
        ].map(([v, l]) => (
          <Link
            key={v}
            href={v ? `/admin/forwarding?status=${v}` : '/admin/forwarding'}
            className={(sp.status ?? '') === v ? 'font-semibold underline' : 'underline-offset-2 hover:underline'}
          >
            {l}
          </Link>
        ))}
      </nav>
      <MonitorDeliveries items={page.items} showCloud retry={retryDeliveryAction} />
      <Pagination
        page={page.page}
        pages={page.pages}
        total={page.total}
        basePath="/admin/forwarding"
        params={{ status: sp.status }}
      />
    </>
  );
}
