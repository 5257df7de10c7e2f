import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { getUser } from '@/lib/users';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, Card, Tag, formatDate } from '@/components/ui/layout';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { EditUserForm } from '@/components/users/user-form';
import { setUserActiveAction, updateUserAction } from '../actions';

export const metadata: Metadata = { title: 'User' };

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext(`/admin/users/${id}`);
  const user = await orRefuse(getUser(ctx, id));
  const canEdit = may(ctx, 'user.update', { type: 'user', id: user.id });
  const self = user.id === ctx.actor.id;
  // Archived organizations are not offered for new memberships, but a user's existing ones stay ticked.
  const choices = canEdit ? await orRefuse(organizationChoices(ctx)) : [];
  const organizations = [...choices, ...user.organizations.filter((o) => !choices.some((c) => c.slug === o.slug))];
  return (
    <>
      <PageHeader
        title={user.name || user.email}
        breadcrumbs={may(ctx, 'user.list', { type: 'global' }) ? [{ href: '/admin/users', label: 'Users' }] : undefined}
        description={
          <>
            {user.email} · {user.role}{' '}
            {user.active ? <Tag tone="green">active</Tag> : <Tag tone="red">deactivated</Tag>}
          </>
        }
        actions={
          canEdit && !self ? (
            <ConfirmForm
              action={setUserActiveAction}
              fields={{ id: user.id, active: user.active ? 'false' : 'true' }}
              label={user.active ? 'Deactivate' : 'Reactivate'}
              variant={user.active ? 'danger' : 'secondary'}
              title={user.active ? `Deactivate ${user.email}?` : `Reactivate ${user.email}?`}
              body={
                user.active
                  ? 'They are signed out at their next request and their API tokens stop working. Their history is kept; you can reactivate them.'
                  : 'They can sign in again with their password or single sign-on, and their unexpired API tokens work again.'
              }
            />
          ) : undefined
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        <Card>
          <h2 className="mb-2 font-semibold">Account</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">Email</dt>
            <dd className="break-all">{user.email}</dd>
            <dt className="text-slate-600">Password</dt>
            <dd>{user.hasPassword ? 'set' : 'none (single sign-on or pending invitation)'}</dd>
            <dt className="text-slate-600">Organizations</dt>
            <dd>
              {user.organizations.length
                ? user.organizations.map((o, i) => (
                    <span key={o.slug}>
                      {i > 0 && ', '}
                      <Link className="underline" href={`/organizations/${o.slug}`}>
                        {o.name}
                      </Link>
                    </span>
                  ))
                : '—'}
            </dd>
            <dt className="text-slate-600">Created</dt>
            <dd>{formatDate(user.createdAt)}</dd>
            <dt className="text-slate-600">Last sign-in</dt>
            <dd>{formatDate(user.lastSignInAt)}</dd>
          </dl>
          {self && canEdit && (
            <p className="mt-3 text-sm text-slate-600">
              This is you: you cannot deactivate yourself or give up your own admin role.
            </p>
          )}
        </Card>
        {canEdit && (
          <Card>
            <h2 className="mb-3 font-semibold">Role and organizations</h2>
            <EditUserForm
              action={updateUserAction}
              organizations={organizations}
              user={{
                id: user.id,
                name: user.name,
                role: user.role,
                organizations: user.organizations.map((o) => o.slug),
              }}
            />
          </Card>
        )}
      </div>
    </>
  );
}
