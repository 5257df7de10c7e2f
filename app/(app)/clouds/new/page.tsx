import type { Metadata } from 'next';
import { pageContext, requirePermission } from '@/lib/next/page';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, Card } from '@/components/ui/layout';
import { CloudForm } from '@/components/clouds/cloud-form';
import { createCloudAction } from '../actions';

export const metadata: Metadata = { title: 'New cloud' };

export default async function NewCloudPage({ searchParams }: { searchParams: Promise<{ organization?: string }> }) {
  const ctx = await pageContext('/clouds/new');
  requirePermission(ctx, 'cloud.create', { type: 'global' });
  const [orgs, sp] = await Promise.all([organizationChoices(ctx), searchParams]);
  return (
    <>
      <PageHeader title="New cloud" breadcrumbs={[{ href: '/clouds', label: 'Clouds' }]} />
      <Card>
        <CloudForm action={createCloudAction} organizations={orgs} defaults={{ organization: sp.organization }} />
      </Card>
    </>
  );
}
