import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, requirePermission, may } from '@/lib/next/page';
import { listUsers, ROLES } from '@/lib/users';
import type { Role } from '@/lib/auth/policy';
import { PageHeader, EmptyState, Table, Td, Tag, formatDate } from '@/components/ui/layout';
import { LinkButton } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const sp = await searchParams;
  const ctx = await pageContext('/admin/users');
  requirePermission(ctx, 'user.list', { type: 'global' });
  const role = ROLES.includes(sp.role as Role) ? (sp.role as Role) : undefined;
  const page = await orRefuse(listUsers(ctx, { q: sp.q, role, page: sp.page }));
  const params = { q: sp.q, role };
  return (
    <>
      <PageHeader title="Users" description="Who may sign in, with which role, for which organizations."
        actions={<>
          {may(ctx, 'invitation.create', { type: 'global' }) && <LinkButton href="/admin/invitations">Invitations</LinkButton>}
          {may(ctx, 'user.create', { type: 'global' }) && <LinkButton href="/admin/users/new" variant="primary">New user</LinkButton>}
        </>} />
      <form className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label="Filter users">
        <label className="text-sm">Search<input name="q" defaultValue={sp.q} placeholder="email or name" className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5" /></label>
        <label className="text-sm">Role
          <select name="role" defaultValue={role ?? ''} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5">
            <option value="">All</option>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100">Apply</button>
      </form>
      {page.total === 0 ? (
        <EmptyState title={sp.q || role ? 'No user matches these filters.' : 'No users yet.'} />
      ) : (
        <Table caption="Users" head={['User', 'Role', 'Organizations', 'State', 'Last sign-in']}>
          {page.items.map((u) => (
            <tr key={u.id}>
              <Td><Link href={`/admin/users/${u.id}`} className="font-medium text-blue-800 hover:underline">{u.email}</Link>
                {u.name && <span className="block text-slate-500">{u.name}</span>}</Td>
              <Td>{u.role}</Td>
              <Td>{u.organizations.map((o) => o.name).join(', ') || '—'}</Td>
              <Td>{u.active ? <Tag tone="green">active</Tag> : <Tag tone="red">deactivated</Tag>}{!u.hasPassword && <> <Tag>no password</Tag></>}</Td>
              <Td className="whitespace-nowrap">{formatDate(u.lastSignInAt)}</Td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination page={page.page} pages={page.pages} total={page.total} basePath="/admin/users" params={params} />
    </>
  );
}
