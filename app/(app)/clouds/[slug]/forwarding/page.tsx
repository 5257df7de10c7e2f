import type { Metadata } from 'next';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { getCloud } from '@/lib/clouds';
import { getForwarding, listDeliveries } from '@/lib/interop/forwarding';
import { PageHeader, Card, Tag, formatDate } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { ForwardingForm } from '@/components/interop/forwarding-form';
import { MonitorDeliveries } from '@/components/interop/monitor-deliveries';
import { removeForwardingAction, retryDeliveryAction, setForwardingAction } from './actions';

export const metadata: Metadata = { title: 'Compliance monitor forwarding' };

export default async function ForwardingPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { slug } = await params;
  const sp = await searchParams;
  const ctx = await pageContext(`/clouds/${slug}/forwarding`);
  const cloud = await orRefuse(getCloud(ctx, slug));
  const [forwarding, deliveries] = await Promise.all([
    orRefuse(getForwarding(ctx, slug)),
    orRefuse(listDeliveries(ctx, { cloud: slug, page: sp.page })),
  ]);
  const canManage = may(ctx, 'forwarding.manage', { type: 'cloud', organizationId: cloud.organization.id });
  return (
    <>
      <PageHeader
        title={`Forwarding of ${cloud.name}`}
        breadcrumbs={[
          { href: '/clouds', label: 'Clouds' },
          { href: `/clouds/${cloud.slug}`, label: cloud.name },
        ]}
        description="Each finished run of this cloud can go to an SCS compliance monitor as a signed report in the monitor's own format, the way the official SCS runner uploads its reports."
      />
      <div className="space-y-4">
        <Card>
          <h2 className="mb-2 font-semibold">Where runs go</h2>
          {forwarding ? (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="forwarding">
              <dt className="text-slate-600">Monitor</dt>
              <dd className="break-all font-mono text-xs">{forwarding.url}</dd>
              <dt className="text-slate-600">Account</dt>
              <dd className="font-mono text-xs">{forwarding.account}</dd>
              <dt className="text-slate-600">API key</dt>
              <dd>stored encrypted (…{forwarding.apiKeyFingerprint})</dd>
              <dt className="text-slate-600">State</dt>
              <dd>
                {forwarding.enabled ? (
                  <>
                    <Tag tone="green">on</Tag> runs finished since {formatDate(forwarding.enabledAt)}
                  </>
                ) : (
                  <Tag>off</Tag>
                )}
              </dd>
              <dt className="text-slate-600">Forwarded</dt>
              <dd>
                {forwarding.counts.delivered} delivered · {forwarding.counts.pending} waiting ·{' '}
                {forwarding.counts.failed} failed
              </dd>
              <dt className="text-slate-600">Changed</dt>
              <dd>
                {formatDate(forwarding.updatedAt)} by {forwarding.updatedBy}
              </dd>
            </dl>
          ) : (
            <p className="text-sm text-slate-700">Not forwarded: this cloud&apos;s results stay in this dashboard.</p>
          )}
          {canManage && forwarding && (
            <div className="mt-3">
              <ConfirmForm
                action={removeForwardingAction}
                fields={{ slug: cloud.slug }}
                label="Remove forwarding"
                title="Remove forwarding?"
                body="Nothing more is sent to the monitor, runs waiting to be sent are dropped, and the stored API key is deleted. The log below stays."
              />
            </div>
          )}
        </Card>
        {canManage && (
          <Card>
            <h2 className="mb-2 font-semibold">
              {forwarding ? 'Change forwarding' : 'Forward to a compliance monitor'}
            </h2>
            <ForwardingForm
              action={setForwardingAction}
              slug={cloud.slug}
              defaults={{
                url: forwarding?.url,
                account: forwarding?.account,
                enabled: forwarding?.enabled,
                hasKey: !!forwarding,
                subject: cloud.scsSubject,
              }}
            />
          </Card>
        )}
        <section aria-labelledby="log-heading">
          <h2 id="log-heading" className="mb-2 text-lg font-semibold">
            Forwarding log
          </h2>
          <MonitorDeliveries items={deliveries.items} retry={canManage ? retryDeliveryAction : undefined} />
          <Pagination
            page={deliveries.page}
            pages={deliveries.pages}
            total={deliveries.total}
            basePath={`/clouds/${cloud.slug}/forwarding`}
            params={{}}
          />
        </section>
      </div>
    </>
  );
}
