import type { Metadata } from 'next';
import { pageContext, requirePermission } from '@/lib/next/page';
import { PageHeader, Card } from '@/components/ui/layout';
import { OrganizationForm } from '@/components/organizations/organization-form';
import { createOrganizationAction } from '../actions';

export const metadata: Metadata = { title: 'New organization' };

export default async function NewOrganizationPage() {
  const ctx = await pageContext('/organizations/new');
  requirePermission(ctx, 'organization.create', { type: 'global' });
  return (
    <>
      <PageHeader title="New organization" breadcrumbs={[{ href: '/organizations', label: 'Organizations' }]} />
      <Card>
        <OrganizationForm action={createOrganizationAction} />
      </Card>
    </>
  );
}
