import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, may, orRefuse } from '@/lib/next/page';
import { listOrganizations } from '@/lib/organizations';
import { PageHeader, EmptyState, Table, Td, Tag, formatDate } from '@/components/ui/layout';
import { LinkButton } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { FilterCheckbox, FilterForm, FilterSearch } from '@/components/ui/filters';

export const metadata: Metadata = { title: 'Organizations' };

export default async function OrganizationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/organizations');
  const page = await orRefuse(listOrganizations(ctx, { q: sp.q, archived: sp.archived === '1', page: sp.page }));
  const canCreate = may(ctx, 'organization.create', { type: 'global' });
  const params = { q: sp.q, archived: sp.archived };
  return (
    <>
      <PageHeader
        title="Organizations"
        description="Cloud service providers (CSPs) whose clouds are certified."
        actions={
          canCreate ? (
            <LinkButton href="/organizations/new" variant="primary">
              New organization
            </LinkButton>
          ) : undefined
        }
      />
      <FilterForm label="Filter organizations">
        <FilterSearch value={sp.q} />
        <FilterCheckbox name="archived" label="Include archived" checked={sp.archived === '1'} />
      </FilterForm>
      {page.total === 0 ? (
        <EmptyState title={sp.q ? 'No organization matches this search.' : 'No organizations yet.'}>
          {canCreate && !sp.q ? (
            <Link className="underline" href="/organizations/new">
              Add the first organization
            </Link>
          ) : null}
        </EmptyState>
      ) : (
        <Table caption="Organizations" head={['Organization', 'Clouds', 'Contacts', 'Created']}>
          {page.items.map((o) => (
            <tr key={o.id}>
              <Td>
                <Link href={`/organizations/${o.slug}`} className="font-medium text-blue-800 hover:underline">
                  {o.name}
                </Link>{' '}
                <span className="text-slate-500">{o.slug}</span>
                {o.archivedAt && (
                  <>
                    {' '}
                    <Tag tone="yellow">archived</Tag>
                  </>
                )}
              </Td>
              <Td>{o.cloudCount}</Td>
              <Td className="break-all">{o.contactEmails.join(', ') || '—'}</Td>
              <Td className="whitespace-nowrap">{formatDate(o.createdAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination page={page.page} pages={page.pages} total={page.total} basePath="/organizations" params={params} />
    </>
  );
}
