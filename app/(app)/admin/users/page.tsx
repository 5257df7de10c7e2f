import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, requirePermission, may } from '@/lib/next/page';
import { listUsers, ROLES } from '@/lib/users';
import type { Role } from '@/lib/auth/policy';
import { PageHeader, EmptyState, Table, Td, Tag, formatDate } from '@/components/ui/layout';
import { LinkButton } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { FilterForm, FilterSearch, FilterSelect } from '@/components/ui/filters';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/admin/users');
  requirePermission(ctx, 'user.list', { type: 'global' });
  const role = ROLES.includes(sp.role as Role) ? (sp.role as Role) : undefined;
  const page = await orRefuse(listUsers(ctx, { q: sp.q, role, page: sp.page }));
  const params = { q: sp.q, role };
  return (
    <>
      <PageHeader
        title="Users"
        description="Who may sign in, with which role, for which organizations."
        actions={
          <>
            {may(ctx, 'invitation.create', { type: 'global' }) && (
              <LinkButton href="/admin/invitations">Invitations</LinkButton>
            )}
            {may(ctx, 'user.create', { type: 'global' }) && (
              <LinkButton href="/admin/users/new" variant="primary">
                New user
              </LinkButton>
            )}
          </>
        }
      />
      <FilterForm label="Filter users">
        <FilterSearch value={sp.q} placeholder="email or name" />
        <FilterSelect name="role" label="Role" value={role} all options={ROLES.map((r) => ({ value: r, label: r }))} />
      </FilterForm>
      {page.total === 0 ? (
        <EmptyState title={sp.q || role ? 'No user matches these filters.' : 'No users yet.'} />
      ) : (
        <Table caption="Users" head={['User', 'Role', 'Organizations', 'State', 'Last sign-in']}>
          {page.items.map((u) => (
            <tr key={u.id}>
              <Td>
                <Link href={`/admin/users/${u.id}`} className="font-medium text-blue-800 hover:underline">
                  {u.email}
                </Link>
                {u.name && <span className="block text-slate-500">{u.name}</span>}
              </Td>
              <Td>{u.role}</Td>
              <Td>{u.organizations.map((o) => o.name).join(', ') || '—'}</Td>
              <Td>
                {u.active ? <Tag tone="green">active</Tag> : <Tag tone="red">deactivated</Tag>}
                {!u.hasPassword && (
                  <>
                    {' '}
                    <Tag>no password</Tag>
                  </>
                )}
              </Td>
              <Td className="whitespace-nowrap">{formatDate(u.lastSignInAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination page={page.page} pages={page.pages} total={page.total} basePath="/admin/users" params={params} />
    </>
  );
}
