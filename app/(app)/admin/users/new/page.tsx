import type { Metadata } from 'next';
import { pageContext, requirePermission } from '@/lib/next/page';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, Card } from '@/components/ui/layout';
import { NewUserForm } from '@/components/users/user-form';
import { createUserAction } from '../actions';

export const metadata: Metadata = { title: 'New user' };

export default async function NewUserPage() {
  const ctx = await pageContext('/admin/users/new');
  requirePermission(ctx, 'user.create', { type: 'global' });
  const orgs = await organizationChoices(ctx);
  return (
    <>
      <PageHeader
        title="New user"
        breadcrumbs={[{ href: '/admin/users', label: 'Users' }]}
        description="To let a CSP user choose their own password, send an invitation instead."
      />
      <Card>
        <NewUserForm action={createUserAction} organizations={orgs} />
      </Card>
    </>
  );
}
