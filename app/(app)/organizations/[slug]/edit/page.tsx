import type { Metadata } from 'next';
import { pageContext, orRefuse, requirePermission } from '@/lib/next/page';
import { getOrganization } from '@/lib/organizations';
import { PageHeader, Card } from '@/components/ui/layout';
import { OrganizationForm } from '@/components/organizations/organization-form';
import { updateOrganizationAction } from '../../actions';

export const metadata: Metadata = { title: 'Edit organization' };

export default async function EditOrganizationPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext(`/organizations/${slug}/edit`);
  const org = await orRefuse(getOrganization(ctx, slug));
  requirePermission(ctx, 'organization.update', { type: 'organization', id: org.id });
  return (
    <>
      <PageHeader
        title={`Edit ${org.name}`}
        breadcrumbs={[
          { href: '/organizations', label: 'Organizations' },
          { href: `/organizations/${org.slug}`, label: org.name },
        ]}
      />
      <Card>
        <OrganizationForm
          action={updateOrganizationAction}
          editing
          defaults={{ slug: org.slug, name: org.name, contactEmails: org.contactEmails }}
        />
      </Card>
    </>
  );
}
