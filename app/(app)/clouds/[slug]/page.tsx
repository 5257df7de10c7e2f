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
import { GrantCertificateForm, RevokeCertificateForm } from '@/components/certificates/certificate-forms';
import { formatDay } from '@/lib/format';
import { oneYearAfter } from '@/lib/compliance/certificates';
import { now } from '@/lib/clock';
import { grantCertificateAction, revokeCertificateAction } from '../certificate-actions';
import { cloudTimeline } from '@/lib/compliance/timeline';
import { TimelineList } from '@/components/compliance/timeline';
import { getCredentials, type CredentialView } from '@/lib/credentials';
import type { ManualResult } from '@/lib/attestations/result';
import { SetupChecklist, type SetupStep } from '@/components/clouds/setup-checklist';

export const metadata: Metadata = { title: 'Cloud' };

/** The five steps from a new cloud to its certificate, from what the page has read anyway. */
function setupSteps(i: {
  slug: string;
  primary: CredentialView | null;
  finishedRun: boolean;
  canRun: boolean;
  runNow: React.ReactNode;
  manual: ManualResult;
  openAttestation: string | null;
  certificate: string;
}): SetupStep[] {
  const test = i.primary?.lastTest ?? null;
  const credentialPage = { href: `/clouds/${i.slug}/credential`, label: 'Open the credential page' };
  return [
    {
      id: 'credential',
      title: 'Add a credential',
      state: i.primary ? 'done' : 'next',
      detail: i.primary
        ? `The primary credential (${i.primary.type === 'password' ? 'user' : 'application credential'} ${i.primary.principal}) is stored encrypted.`
        : 'An application credential of a plain project member (role member only), pasted from clouds.yaml or openrc.',
      link: { href: `/clouds/${i.slug}/credential`, label: 'Add the credential' },
    },
    {
      id: 'test',
      title: 'Test the connection',
      state: !i.primary ? 'waiting' : !test ? 'next' : !test.ok || test.warnings.length > 0 ? 'attention' : 'done',
      detail: !i.primary
        ? 'Saving the credential tests it.'
        : !test
          ? 'Not tested yet.'
          : !test.ok
            ? `The last test failed: ${test.error ?? 'unknown error'}`
            : test.warnings.length > 0
              ? `Authenticated, but: ${test.warnings.join(' ')}`
              : 'Authenticated with the member role; the key manager answers in the cloud’s region.',
      link: credentialPage,
    },
    {
      id: 'run',
      title: 'Run the checks',
      state: i.finishedRun ? 'done' : i.primary ? 'next' : 'waiting',
      detail: i.finishedRun
        ? 'A run has finished; scheduled runs keep the results fresh.'
        : i.primary
          ? 'The first run takes about a minute; afterwards runs follow the schedule.'
          : 'Possible once a credential is saved.',
      action: i.primary && !i.finishedRun && i.canRun ? i.runNow : undefined,
    },
    {
      id: 'attestation',
      title: 'Attest the Master-KEK protection',
      state:
        i.manual.verdict === 'PASS'
          ? 'done'
          : i.openAttestation === 'changes_requested'
            ? 'attention'
            : i.openAttestation === 'submitted' || !i.primary
              ? 'waiting'
              : 'next',
      detail:
        i.manual.verdict === 'PASS'
          ? i.manual.reason
          : i.openAttestation === 'submitted'
            ? 'Submitted: waiting for the certification body’s review.'
            : i.openAttestation === 'changes_requested'
              ? 'The reviewer asked for changes: read the comment and submit again.'
              : i.openAttestation === 'draft'
                ? 'A draft is started: answer the questions, attach evidence, sign and submit.'
                : 'The manual testcase key-manager-docs-check: a statement with evidence, reviewed by staff, every quarter.',
      link: {
        href: `/clouds/${i.slug}/attestations`,
        label: i.openAttestation ? 'Continue the attestation' : 'Start the attestation',
      },
    },
    {
      id: 'certificate',
      title: 'Certificate',
      state: i.certificate === 'valid' ? 'done' : 'waiting',
      detail:
        i.certificate === 'valid'
          ? 'Granted: valid for one year.'
          : 'The certification body grants it once the status for scs-0116 v1 is PASS.',
    },
  ];
}

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
  const [manual, runs, state, compliance, history, timeline, credentials] = await Promise.all([
    cloudManualResult(ctx, cloud.slug),
    listRuns(ctx, cloud.id, 10),
    cloudRunState(ctx, cloud.id),
    cloudCompliance(ctx, cloud.slug),
    cloudHistory(ctx, cloud.slug, period),
    cloudTimeline(ctx, cloud.slug, { period, page: query.tpage }),
    getCredentials(ctx, cloud.slug),
  ]);
  const primary = credentials.primary;
  const hasCredential = !!primary;
  const steps = setupSteps({
    slug: cloud.slug,
    primary,
    finishedRun: runs.some((r) => r.status === 'finished'),
    canRun,
    runNow: (
      <ActionButton
        action={startRunAction}
        fields={{ slug: cloud.slug }}
        label="Run the checks now"
        pendingText="Starting…"
        testId="setup-run-now"
      />
    ),
    manual,
    openAttestation: compliance.openAttestation,
    certificate: compliance.certificate.state,
  });
  const setupDone = steps.every((x) => x.state === 'done');
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
              {canRun && hasCredential && (
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
      {!setupDone && !cloud.archivedAt && <SetupChecklist steps={steps} />}
      <Card className="mb-4">
        <h2 className="mb-2 font-semibold">Compliance</h2>
        <ComplianceSection compliance={compliance} />
      </Card>
      <div className="grid gap-4 md:grid-cols-2">
        <Card className="min-w-0">
          <h2 className="mb-2 font-semibold">About</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">Organization</dt>
            <dd>{cloud.organization.name}</dd>
            <dt className="text-slate-600">Region</dt>
            <dd>{cloud.region}</dd>
            <dt className="text-slate-600">SCS subject</dt>
            <dd className="font-mono text-xs" data-testid="scs-subject">
              {cloud.scsSubject}
            </dd>
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
                'not pinned: runs count whatever endpoint they name'
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
          <p className="mt-1 text-sm">
            <Link className="text-blue-700 underline" href={`/clouds/${cloud.slug}/forwarding`}>
              Forwarding to an SCS compliance monitor
            </Link>
          </p>
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
                : !hasCredential
                  ? 'once a credential is saved'
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
              <GrantCertificateForm
                action={grantCertificateAction}
                slug={cloud.slug}
                name={cloud.name}
                isPublic={cloud.public}
                validUntil={formatDay(oneYearAfter(now()))}
              />
            ) : (
              <p className="text-sm text-slate-600">
                A certificate can be granted once the status for scs-0116 v1 is PASS.
              </p>
            )}
          </div>
        )}
        {canRevoke && cert.current && cert.state === 'valid' && (
          <div className="mt-3">
            <RevokeCertificateForm
              action={revokeCertificateAction}
              id={cert.current.id}
              slug={cloud.slug}
              name={cloud.name}
              isPublic={cloud.public}
            />
          </div>
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
                {r.source === 'official-runner' && <Tag tone="blue">official runner, signed</Tag>}
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
