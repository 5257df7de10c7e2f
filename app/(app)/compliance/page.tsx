import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext } from '@/lib/next/page';
import { complianceOverview, OVERVIEW_SORTS, OFFICIAL_PREFIX, STATUSES, statusOf, LOOK } from '@/lib/compliance';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, EmptyState, Table, Td, Tag, formatDate } from '@/components/ui/layout';
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
  const [page, orgs] = await Promise.all([
    complianceOverview(ctx, {
      q: sp.q,
      organization: sp.organization,
      status: sp.status,
      sort: sp.sort,
      dir: sp.dir,
      page: sp.page,
    }),
    organizationChoices(ctx),
  ]);
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
          title={sp.q || sp.organization || sp.status ? 'No cloud matches these filters.' : 'No clouds yet.'}
        />
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
                      {formatDate(c.lastRun.queuedAt)}
                    </Link>
                  ) : (
                    '—'
                  )}
                  {c.lastRun && <span className="block text-xs text-slate-600">{c.lastRun.status}</span>}
                </Td>
                <Td>{c.schedule === 'off' ? 'off' : c.nextRunAt ? formatDate(c.nextRunAt) : c.schedule}</Td>
                <Td>
                  <StatusTag status={c.manual.verdict} />
                  {c.manual.verdict === 'PASS' && c.manual.expiresAt && (
                    <span className="block text-xs text-slate-600">
                      until {formatDate(c.manual.expiresAt).slice(0, 10)}
                    </span>
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
                    <span className="block text-xs text-slate-600">
                      until {c.certificate.current.validUntil.toISOString().slice(0, 10)}
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
