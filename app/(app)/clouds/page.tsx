import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, may } from '@/lib/next/page';
import { listClouds, type CloudSort } from '@/lib/clouds';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, EmptyState, Table, Td, Tag } from '@/components/ui/layout';
import { complianceOf } from '@/lib/compliance';
import { StatusTag } from '@/components/compliance/status';
import { LinkButton } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { FilterCheckbox, FilterForm, FilterSearch, FilterSelect } from '@/components/ui/filters';

export const metadata: Metadata = { title: 'Clouds' };

export default async function CloudsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/clouds');
  const sort = (['name', 'slug', 'organization', 'created'].includes(sp.sort ?? '') ? sp.sort : 'name') as CloudSort;
  const [page, orgs] = await Promise.all([
    listClouds(ctx, {
      q: sp.q,
      organization: sp.organization,
      archived: sp.archived === '1',
      sort,
      dir: sp.dir === 'desc' ? 'desc' : 'asc',
      page: sp.page,
    }),
    organizationChoices(ctx),
  ]);
  const canCreate = may(ctx, 'cloud.create', { type: 'global' });
  // The status of each listed cloud, read from its stored compliance snapshot (lib/compliance).
  const compliance = new Map((await complianceOf(page.items)).map((c) => [c.cloud.id, c] as const));
  const filtered = !!(sp.q || sp.organization);
  const params = { q: sp.q, organization: sp.organization, archived: sp.archived, sort: sp.sort, dir: sp.dir };
  return (
    <>
      <PageHeader
        title="Clouds"
        description="OpenStack clouds under certification for scs-0116."
        actions={
          canCreate ? (
            <LinkButton href="/clouds/new" variant="primary">
              New cloud
            </LinkButton>
          ) : undefined
        }
      />
      <FilterForm label="Filter clouds">
        <FilterSearch value={sp.q} />
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
          value={sort}
          options={[
            { value: 'name', label: 'Name' },
            { value: 'slug', label: 'Slug' },
            { value: 'organization', label: 'Organization' },
            { value: 'created', label: 'Created' },
          ]}
        />
        <FilterCheckbox name="archived" label="Include archived" checked={sp.archived === '1'} />
      </FilterForm>
      {page.total === 0 ? (
        <EmptyState
          title={filtered ? 'No cloud matches these filters.' : 'No clouds yet.'}
          action={
            filtered ? (
              <LinkButton href="/clouds">Show all clouds</LinkButton>
            ) : canCreate ? (
              <LinkButton href="/clouds/new" variant="primary">
                Add the first cloud
              </LinkButton>
            ) : undefined
          }
        >
          {filtered
            ? null
            : canCreate
              ? 'A cloud belongs to an organization (the provider); create that first if it is not there yet.'
              : 'The certification body registers your clouds; ask them if one is missing.'}
        </EmptyState>
      ) : (
        <Table caption="Clouds" head={['Cloud', 'Status (scs-0116 v1)', 'Organization', 'Region', 'Visibility']}>
          {page.items.map((c) => (
            <tr key={c.id} data-testid="cloud-row" data-cloud={c.slug}>
              <Td>
                <Link href={`/clouds/${c.slug}`} className="font-medium text-blue-800 hover:underline">
                  {c.name}
                </Link>{' '}
                <span className="text-slate-500">{c.slug}</span>
                {c.archivedAt && (
                  <>
                    {' '}
                    <Tag tone="yellow">archived</Tag>
                  </>
                )}
              </Td>
              <Td>
                {compliance.get(c.id) ? (
                  <StatusTag status={compliance.get(c.id)!.status} testId="cloud-list-status" />
                ) : (
                  '—'
                )}
              </Td>
              <Td>{c.organization.name}</Td>
              <Td>{c.region}</Td>
              <Td>{c.public ? <Tag tone="blue">public</Tag> : <Tag>private</Tag>}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination page={page.page} pages={page.pages} total={page.total} basePath="/clouds" params={params} />
    </>
  );
}
