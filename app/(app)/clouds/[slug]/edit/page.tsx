import type { Metadata } from 'next';
import { pageContext, orRefuse, requirePermission, may } from '@/lib/next/page';
import { getCloud } from '@/lib/clouds';
import { organizationChoices } from '@/lib/organizations';
import { PageHeader, Card } from '@/components/ui/layout';
import { CloudForm } from '@/components/clouds/cloud-form';
import { pinCloudAction, publicRunMessagesAction, unpinCloudAction, updateCloudAction } from '../../actions';
import { CertifiedEndpointForm, PublicMessagesForm } from '@/components/compliance/certified-endpoint-form';

export const metadata: Metadata = { title: 'Edit cloud' };

export default async function EditCloudPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext(`/clouds/${slug}/edit`);
  const cloud = await orRefuse(getCloud(ctx, slug));
  requirePermission(ctx, 'cloud.update', { type: 'cloud', organizationId: cloud.organization.id });
  const orgs = await organizationChoices(ctx);
  const resource = { type: 'cloud' as const, organizationId: cloud.organization.id };
  const pinned = cloud.certifiedEndpoint
    ? { ...cloud.certifiedEndpoint, pinnedAt: cloud.certifiedEndpoint.pinnedAt?.toISOString() ?? null }
    : null;
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
      {may(ctx, 'cloud.pin', resource) && (
        <Card className="mt-4">
          <h2 className="mb-2 font-semibold">Certified endpoint</h2>
          <CertifiedEndpointForm
            slug={cloud.slug}
            pinned={pinned}
            defaultRegion={cloud.region}
            pin={pinCloudAction}
            unpin={unpinCloudAction}
          />
        </Card>
      )}
      <Card className="mt-4">
        <h2 className="mb-2 font-semibold">Public status page</h2>
        <PublicMessagesForm slug={cloud.slug} shown={cloud.publicRunMessages} action={publicRunMessagesAction} />
      </Card>
    </>
  );
}
