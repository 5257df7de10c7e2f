import type { Metadata } from 'next';
import Link from 'next/link';
import { may, pageContext } from '@/lib/next/page';
import { listAttestations } from '@/lib/attestations';
import { cloudsWithCredential } from '@/lib/credentials';
import { nextSteps } from '@/lib/clouds/next-steps';
import { formatDay, plural } from '@/lib/format';
import { now } from '@/lib/clock';
import { LinkButton } from '@/components/ui/button';
import {
  complianceOverview,
  OVERVIEW_SORTS,
  OFFICIAL_PREFIX,
  MANUAL_TESTCASE,
  STATUSES,
  statusOf,
  LOOK,
} from '@/lib/compliance';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, EmptyState, Table, Td, Tag, Time } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';
import { StatusTag } from '@/components/compliance/status';
import { FilterForm, FilterSearch, FilterSelect } from '@/components/ui/filters';

export const metadata: Metadata = { title: 'Compliance overview' };

const SORT_LABELS: Record<string, string> = {
  name: 'Cloud',
  organization: 'Organization',
  status: 'Status',
  lastRun: 'Last run',
  attestation: 'Attestation expiry',
  certificate: 'Certificate expiry',
};
const CERT_TONE = { valid: 'green', expired: 'yellow', revoked: 'red', none: 'slate' } as const;

export default async function CompliancePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/compliance');
  const staff = ctx.actor.role !== 'csp';
  const [page, orgs, waiting] = await Promise.all([
    complianceOverview(ctx, {
      q: sp.q,
      organization: sp.organization,
      status: sp.status,
      sort: sp.sort,
      dir: sp.dir,
      page: sp.page,
    }),
    organizationChoices(ctx),
    staff && may(ctx, 'attestation.review', { type: 'global' })
      ? listAttestations(ctx, { state: 'submitted', pageSize: 1 }).then((p) => p.total)
      : Promise.resolve(0),
  ]);
  const withCredential = await cloudsWithCredential(
    ctx,
    page.items.map((c) => c.cloud.id),
  );
  const steps = staff
    ? []
    : nextSteps(
        page.items.map((c) => ({
          slug: c.cloud.slug,
          name: c.cloud.name,
          hasCredential: withCredential.has(c.cloud.id),
          hasFinishedRun: statusOf(c).testcases.some((t) => t.id !== MANUAL_TESTCASE && t.checkedAt !== null),
          openAttestation: c.openAttestation,
          manual: { verdict: c.manual.verdict, expiresAt: c.manual.expiresAt },
          status: c.status,
          reason: statusOf(c).reasons[0],
        })),
        now(),
      );
  const filtered = !!(sp.q || sp.organization || sp.status);
  const params = { q: sp.q, organization: sp.organization, status: sp.status, sort: sp.sort, dir: sp.dir };
  const exportQuery = new URLSearchParams(
    Object.entries({ q: sp.q, organization: sp.organization, status: sp.status, sort: sp.sort, dir: sp.dir }).filter(
      ([, v]) => v,
    ) as [string, string][],
  ).toString();
  const total = Object.values(page.counts).reduce((a, b) => a + b, 0);
  return (
    <>
      <PageHeader
        title="Compliance overview"
        description="Status of every cloud you may see: this dashboard's full profile scs-0116 v1 (the basis of certificates), the official SCS verdict for the key manager, and the informational earlier draft, with attestation and certificate state."
        actions={
          <>
            <a
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100"
              href={`/api/v1/compliance?format=csv${exportQuery ? `&${exportQuery}` : ''}`}
              download
            >
              CSV
            </a>
            <a
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100"
              href={`/api/v1/compliance?format=markdown${exportQuery ? `&${exportQuery}` : ''}`}
              download
            >
              Markdown
            </a>
          </>
        }
      />
      {sp.welcome === '1' && (
        <p
          role="status"
          className="mb-4 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900"
          data-testid="welcome"
        >
          Welcome{ctx.actor.name ? `, ${ctx.actor.name}` : ''}: your account is ready and you are signed in.
          {steps.length > 0 ? ' Here is what to do first.' : ''}
        </p>
      )}
      {steps.length > 0 && (
        <section
          aria-labelledby="next-steps"
          className="mb-4 rounded-lg border border-blue-200 bg-blue-50/60 p-4 shadow-sm"
          data-testid="next-steps"
        >
          <h2 id="next-steps" className="font-semibold">
            What to do next
          </h2>
          <ul className="mt-2 space-y-2 text-sm">
            {steps.map((s) => (
              <li
                key={`${s.slug}-${s.label}`}
                className="flex flex-wrap items-baseline gap-x-2"
                data-testid="next-step"
              >
                <span className="min-w-0 break-words">{s.text}</span>
                <Link className="font-medium text-blue-800 underline" href={s.href}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {waiting > 0 && (
        <p className="mb-4 rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm" data-testid="review-waiting">
          {plural(waiting, 'attestation waits', 'attestations wait')} for review.{' '}
          <Link className="font-medium text-blue-800 underline" href="/attestations">
            Open the review queue
          </Link>
        </p>
      )}
      <ul className="mb-4 flex flex-wrap gap-2 text-sm" aria-label="Clouds by status" data-testid="status-counts">
        {STATUSES.map((s) => (
          <li key={s}>
            <Link
              href={`/compliance?status=${s}`}
              className="flex items-center gap-1 rounded-md border border-slate-200 bg-white px-2 py-1 hover:bg-slate-50"
              aria-current={sp.status === s ? 'true' : undefined}
            >
              <StatusTag status={s} /> {page.counts[s]}
            </Link>
          </li>
        ))}
        <li>
          <Link
            href="/compliance"
            className="block rounded-md border border-slate-200 bg-white px-2 py-1 hover:bg-slate-50"
          >
            All {total}
          </Link>
        </li>
      </ul>
      <FilterForm label="Filter the overview">
        <FilterSearch value={sp.q} />
        <FilterSelect
          name="status"
          label="Status"
          value={sp.status}
          all
          options={STATUSES.map((s) => ({ value: s, label: `${LOOK[s].label}: ${LOOK[s].meaning}` }))}
        />
        <FilterSelect
          name="organization"
          label="Organization"
          value={sp.organization}
          all
          options={orgs.map((o) => ({ value: o.slug, label: o.name }))}
        />
        <FilterSelect
          name="sort"
          label="Sort"
          value={sp.sort ?? 'name'}
          options={OVERVIEW_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] }))}
        />
        <FilterSelect
          name="dir"
          label="Order"
          value={sp.dir ?? 'asc'}
          options={[
            { value: 'asc', label: 'Ascending' },
            { value: 'desc', label: 'Descending' },
          ]}
        />
      </FilterForm>
      {page.total === 0 ? (
        <EmptyState
          title={filtered ? 'No cloud matches these filters.' : 'No clouds yet.'}
          action={
            filtered ? (
              <LinkButton href="/compliance">Show all clouds</LinkButton>
            ) : may(ctx, 'cloud.create', { type: 'global' }) ? (
              <>
                <LinkButton href="/organizations/new">Add an organization</LinkButton>
                <LinkButton href="/clouds/new" variant="primary">
                  Add a cloud
                </LinkButton>
              </>
            ) : undefined
          }
        >
          {filtered
            ? null
            : staff
              ? 'Start with the cloud service provider (an organization), then its cloud; invite the provider’s operators from the organization page.'
              : 'The certification body registers your clouds; once they have, each one shows here with its next step.'}
        </EmptyState>
      ) : (
        <Table
          caption="Compliance of clouds"
          head={['Cloud', 'scs-0116 v1', 'SCS official', 'Draft', 'Last run', 'Next run', 'Attestation', 'Certificate']}
        >
          {page.items.map((c) => {
            const v1 = statusOf(c, 'scs-0116-v1');
            const draft = statusOf(c, 'scs-0116-draft');
            return (
              <tr key={c.cloud.id} data-testid="overview-row" data-cloud={c.cloud.slug}>
                <Td>
                  <Link href={`/clouds/${c.cloud.slug}`} className="font-medium text-blue-800 hover:underline">
                    {c.cloud.name}
                  </Link>
                  <span className="block text-xs text-slate-600">
                    {c.cloud.organization.name}
                    {c.cloud.public ? ' · public' : ''}
                  </span>
                </Td>
                <Td>
                  <StatusTag status={v1.status} testId="v1-status" />
                  {v1.reasons[0] && <span className="mt-1 block max-w-xs text-xs text-slate-600">{v1.reasons[0]}</span>}
                  {v1.warnings.length > 0 && (
                    <span className="mt-1 block text-xs text-slate-600">
                      {v1.warnings.length} warning{v1.warnings.length > 1 ? 's' : ''}
                    </span>
                  )}
                </Td>
                <Td>
                  {c.official ? (
                    <>
                      <StatusTag status={c.official.status} testId="official-status" />
                      <span className="block text-xs text-slate-600">
                        {c.official.version.replace(OFFICIAL_PREFIX, '')}
                      </span>
                    </>
                  ) : (
                    '—'
                  )}
                </Td>
                <Td>
                  <StatusTag status={draft.status} />
                </Td>
                <Td>
                  {c.lastRun ? (
                    <Link className="text-blue-800 hover:underline" href={`/runs/${c.lastRun.id}`}>
                      <Time value={c.lastRun.queuedAt} />
                    </Link>
                  ) : (
                    '—'
                  )}
                  {c.lastRun && <span className="block text-xs text-slate-600">{c.lastRun.status}</span>}
                </Td>
                <Td>{c.schedule === 'off' ? 'off' : c.nextRunAt ? <Time value={c.nextRunAt} /> : c.schedule}</Td>
                <Td>
                  <StatusTag status={c.manual.verdict} />
                  {c.manual.verdict === 'PASS' && c.manual.expiresAt && (
                    <span className="block text-xs text-slate-600">until {formatDay(c.manual.expiresAt)}</span>
                  )}
                  {c.openAttestation && (
                    <span className="block text-xs text-slate-600">{c.openAttestation.replace('_', ' ')}</span>
                  )}
                </Td>
                <Td>
                  <Tag tone={CERT_TONE[c.certificate.state]}>
                    {c.certificate.state === 'none' ? 'none' : c.certificate.state}
                  </Tag>
                  {c.certificate.current && (
                    <span className="block whitespace-nowrap text-xs text-slate-600">
                      until {formatDay(c.certificate.current.validUntil)}
                    </span>
                  )}
                </Td>
              </tr>
            );
          })}
        </Table>
      )}
      <Pagination page={page.page} pages={page.pages} total={page.total} basePath="/compliance" params={params} />
    </>
  );
}
