import type { Metadata } from 'next';
import { pageContext, orRefuse, requirePermission } from '@/lib/next/page';
import { getCloud } from '@/lib/clouds';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, Card } from '@/components/ui/layout';
import { CloudForm } from '@/components/clouds/cloud-form';
import { updateCloudAction } from '../../actions';

export const metadata: Metadata = { title: 'Edit cloud' };

export default async function EditCloudPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext(`/clouds/${slug}/edit`);
  const cloud = await orRefuse(getCloud(ctx, slug));
  requirePermission(ctx, 'cloud.update', { type: 'cloud', organizationId: cloud.organization.id });
  const orgs = await organizationChoices(ctx);
  return (
    <>
      <PageHeader
        title={`Edit ${cloud.name}`}
        breadcrumbs={[
          { href: '/clouds', label: 'Clouds' },
          { href: `/clouds/${cloud.slug}`, label: cloud.name },
        ]}
      />
      <Card>
        <CloudForm
          action={updateCloudAction}
          organizations={orgs}
          editing
          defaults={{
            slug: cloud.slug,
            name: cloud.name,
            description: cloud.description,
            organization: cloud.organization.slug,
            region: cloud.region,
            public: cloud.public,
            contactEmails: cloud.contactEmails,
            scsSubject: cloud.scsSubject,
          }}
        />
      </Card>
    </>
  );
}
