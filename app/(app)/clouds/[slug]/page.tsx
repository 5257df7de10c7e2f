import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { getCloud } from '@/lib/clouds';
import { PageHeader, Card, Tag, formatDate } from '@/components/ui/layout';
import { LinkButton } from '@/components/ui/button';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { archiveCloudAction } from '../actions';
import { cloudManualResult } from '@/lib/attestations';
import { ManualResultLine } from '@/components/attestations/manual-result';
import { cloudRunState, listRuns } from '@/lib/runs';
import { ActionButton } from '@/components/runs/action-button';
import { ScheduleForm } from '@/components/runs/schedule-form';
import { RunStatusTag } from '@/components/runs/verdict';
import { setScheduleAction, startRunAction } from '../../runs/actions';
import { cloudCompliance, cloudHistory, parsePeriod, PERIODS } from '@/lib/compliance';
import { HistoryStrips, PeriodFilter } from '@/components/compliance/status';
import { ComplianceSection } from '@/components/compliance/headline';
import { RevokeForm } from '@/components/compliance/certificate-forms';
import { grantCertificateAction, revokeCertificateAction } from '../certificate-actions';
import { cloudTimeline } from '@/lib/compliance/timeline';
import { TimelineList } from '@/components/compliance/timeline';

export const metadata: Metadata = { title: 'Cloud' };

export default async function CloudPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { slug } = await params;
  const query = await searchParams;
  const period = parsePeriod(query.period);
  const ctx = await pageContext(`/clouds/${slug}`);
  const cloud = await orRefuse(getCloud(ctx, slug));
  const resource = { type: 'cloud' as const, organizationId: cloud.organization.id };
  const canEdit = may(ctx, 'cloud.update', resource);
  const canRun = may(ctx, 'run.create', resource) && !cloud.archivedAt;
  // Independent reads, each asking the policy itself: at once, not one after another.
  const [manual, runs, state, compliance, history, timeline] = await Promise.all([
    cloudManualResult(ctx, cloud.slug),
    listRuns(ctx, cloud.id, cloud.organization.id, 10),
    cloudRunState(ctx, cloud.id, cloud.organization.id),
    cloudCompliance(ctx, cloud.slug),
    cloudHistory(ctx, cloud.slug, period),
    cloudTimeline(ctx, cloud.slug, { period, page: query.tpage }),
  ]);
  const canGrant = may(ctx, 'certificate.grant', resource) && !cloud.archivedAt;
  const canRevoke = may(ctx, 'certificate.revoke', resource);
  const cert = compliance.certificate;
  return (
    <>
      <PageHeader
        title={cloud.name}
        breadcrumbs={[{ href: '/clouds', label: 'Clouds' }]}
        description={
          <>
            {cloud.slug} · {cloud.organization.name} · region {cloud.region}{' '}
            {cloud.public ? <Tag tone="blue">public</Tag> : <Tag>private</Tag>}{' '}
            {cloud.archivedAt && <Tag tone="yellow">archived {formatDate(cloud.archivedAt)}</Tag>}
          </>
        }
        actions={
          canEdit || canRun ? (
            <>
              {canRun && (
                <ActionButton
                  action={startRunAction}
                  fields={{ slug: cloud.slug }}
                  label="Run now"
                  pendingText="Starting…"
                  testId="run-now"
                />
              )}
              {canEdit && <LinkButton href={`/clouds/${cloud.slug}/edit`}>Edit</LinkButton>}
              {canEdit && may(ctx, 'cloud.archive', resource) && (
                <ConfirmForm
                  action={archiveCloudAction}
                  fields={{ slug: cloud.slug, archive: cloud.archivedAt ? 'false' : 'true' }}
                  label={cloud.archivedAt ? 'Restore' : 'Archive'}
                  variant={cloud.archivedAt ? 'secondary' : 'danger'}
                  title={cloud.archivedAt ? `Restore ${cloud.name}?` : `Archive ${cloud.name}?`}
                  body={
                    cloud.archivedAt
                      ? 'The cloud returns to the lists and can be checked again.'
                      : 'The cloud leaves the lists and is no longer checked. Its history is kept; you can restore it.'
                  }
                />
              )}
            </>
          ) : undefined
        }
      />
      <Card className="mb-4">
        <h2 className="mb-2 font-semibold">Compliance</h2>
        <ComplianceSection compliance={compliance} />
      </Card>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-2 font-semibold">About</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">Organization</dt>
            <dd>{cloud.organization.name}</dd>
            <dt className="text-slate-600">Region</dt>
            <dd>{cloud.region}</dd>
            <dt className="text-slate-600">Contacts</dt>
            <dd>{cloud.contactEmails.join(', ') || '—'}</dd>
            <dt className="text-slate-600">Created</dt>
            <dd>{formatDate(cloud.createdAt)}</dd>
            <dt className="text-slate-600">Certified endpoint</dt>
            <dd data-testid="cloud-pin">
              {cloud.certifiedEndpoint ? (
                <>
                  <code className="break-all text-xs">{cloud.certifiedEndpoint.authUrl}</code> (region{' '}
                  {cloud.certifiedEndpoint.region}): only runs against it count
                </>
              ) : (
                'not pinned: every run counts'
              )}
            </dd>
          </dl>
          {may(ctx, 'credential.read', resource) && (
            <p className="mt-3 text-sm">
              <Link className="text-blue-700 underline" href={`/clouds/${cloud.slug}/credential`}>
                Credentials and connection test
              </Link>
            </p>
          )}
          {cloud.description && <p className="mt-3 whitespace-pre-line text-sm text-slate-700">{cloud.description}</p>}
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Master-KEK attestation</h2>
          <ManualResultLine result={manual} href={`/clouds/${cloud.slug}/attestations`} />
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Schedule</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">Schedule</dt>
            <dd>{state.schedule}</dd>
            <dt className="text-slate-600">Next run</dt>
            <dd data-testid="next-run">
              {state.schedule === 'off' || cloud.archivedAt
                ? '—'
                : state.nextRunAt
                  ? formatDate(state.nextRunAt)
                  : 'planned within a minute'}
            </dd>
          </dl>
          {canEdit && <ScheduleForm action={setScheduleAction} slug={cloud.slug} schedule={state.schedule} />}
        </Card>
      </div>
      <Card className="mt-4">
        <h2 className="mb-2 font-semibold">Certificate</h2>
        <div data-testid="certificate-state" className="text-sm">
          {cert.current ? (
            <p>
              scs-0116 v1 ·{' '}
              <Tag tone={cert.state === 'valid' ? 'green' : cert.state === 'revoked' ? 'red' : 'yellow'}>
                {cert.state}
              </Tag>{' '}
              granted {formatDate(cert.current.grantedAt)} by {cert.current.grantedByLabel}, valid until{' '}
              {formatDate(cert.current.validUntil)}
              {cert.current.revokedAt && (
                <>
                  {' '}
                  · revoked {formatDate(cert.current.revokedAt)}: {cert.current.revokedReason}
                </>
              )}
            </p>
          ) : (
            <p>No certificate has been granted.</p>
          )}
          {cloud.public && (
            <p className="mt-1">
              Public status page:{' '}
              <Link className="text-blue-700 underline" href={`/status/${cloud.slug}`}>
                /status/{cloud.slug}
              </Link>{' '}
              · badge <code>/badge/{cloud.slug}.svg</code>
            </p>
          )}
        </div>
        {canGrant && cert.state !== 'valid' && (
          <div className="mt-3">
            {!cloud.certifiedEndpoint ? (
              <p className="text-sm text-slate-600">
                Pin the certified endpoint on the{' '}
                <Link className="text-blue-700 underline" href={`/clouds/${cloud.slug}/edit`}>
                  edit page
                </Link>{' '}
                before granting a certificate: only runs against it count.
              </p>
            ) : compliance.status === 'PASS' ? (
              <ActionButton
                action={grantCertificateAction}
                fields={{ slug: cloud.slug, standard: 'scs-0116-v1' }}
                label="Grant certificate (one year)"
                pendingText="Granting…"
                testId="grant-certificate"
              />
            ) : (
              <p className="text-sm text-slate-600">
                A certificate can be granted once the status for scs-0116 v1 is PASS.
              </p>
            )}
          </div>
        )}
        {canRevoke && cert.current && cert.state === 'valid' && (
          <RevokeForm action={revokeCertificateAction} id={cert.current.id} />
        )}
      </Card>
      <Card className="mt-4">
        <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
          <h2 className="font-semibold">History</h2>
          <div className="flex flex-wrap items-end gap-3">
            <PeriodFilter basePath={`/clouds/${cloud.slug}`} period={period} periods={Object.keys(PERIODS)} />
            <a
              className="text-sm text-blue-700 underline"
              href={`/api/v1/clouds/${cloud.slug}/history?format=csv&period=${period}`}
            >
              CSV
            </a>
            <a
              className="text-sm text-blue-700 underline"
              href={`/api/v1/clouds/${cloud.slug}/history?format=json&period=${period}`}
            >
              JSON
            </a>
          </div>
        </div>
        <HistoryStrips history={history} testId="history" />
      </Card>
      <Card className="mt-4">
        <h2 id="timeline" className="mb-2 font-semibold">
          Runs and attestations
        </h2>
        <TimelineList timeline={timeline} basePath={`/clouds/${cloud.slug}`} id="timeline" />
      </Card>
      {runs.length > 0 && (
        <Card className="mt-4">
          <h2 className="mb-2 font-semibold">Recent runs</h2>
          <ul className="divide-y divide-slate-100 text-sm" data-testid="recent-runs">
            {runs.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2 py-2">
                <Link className="font-medium text-blue-800 underline-offset-2 hover:underline" href={`/runs/${r.id}`}>
                  {formatDate(r.queuedAt)}
                </Link>
                <RunStatusTag status={r.status} />
                <span className="text-slate-600">{r.trigger}</span>
                <span className="text-slate-600">
                  {r.counts.PASS} pass · {r.counts.FAIL} fail · {r.counts.ABORT} abort
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
