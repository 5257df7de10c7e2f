import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { getCloud } from '@/lib/clouds';
import { PageHeader, Card, Tag, formatDate } from '@/components/ui/layout';
import { LinkButton } from '@/components/ui/button';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { archiveCloudAction } from '../actions';
import { cloudManualResult } from '@/lib/attestations';
import { ManualResultLine } from '@/components/attestations/manual-result';

export const metadata: Metadata = { title: 'Cloud' };

export default async function CloudPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext(`/clouds/${slug}`);
  const cloud = await orRefuse(getCloud(ctx, slug));
  const resource = { type: 'cloud' as const, organizationId: cloud.organization.id };
  const canEdit = may(ctx, 'cloud.update', resource);
  const manual = await cloudManualResult(ctx, cloud.slug);
  return (
    <>
      <PageHeader
        title={cloud.name}
        breadcrumbs={[{ href: '/clouds', label: 'Clouds' }]}
        description={<>{cloud.slug} · {cloud.organization.name} · region {cloud.region} {cloud.public ? <Tag tone="blue">public</Tag> : <Tag>private</Tag>} {cloud.archivedAt && <Tag tone="yellow">archived {formatDate(cloud.archivedAt)}</Tag>}</>}
        actions={canEdit ? (
          <>
            <LinkButton href={`/clouds/${cloud.slug}/edit`}>Edit</LinkButton>
            {may(ctx, 'cloud.archive', resource) && (
              <ConfirmForm action={archiveCloudAction} fields={{ slug: cloud.slug, archive: cloud.archivedAt ? 'false' : 'true' }}
                label={cloud.archivedAt ? 'Restore' : 'Archive'} variant={cloud.archivedAt ? 'secondary' : 'danger'}
                title={cloud.archivedAt ? `Restore ${cloud.name}?` : `Archive ${cloud.name}?`}
                body={cloud.archivedAt ? 'The cloud returns to the lists and can be checked again.' : 'The cloud leaves the lists and is no longer checked. Its history is kept; you can restore it.'} />
            )}
          </>
        ) : undefined}
      />
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-2 font-semibold">About</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-600">Organization</dt><dd>{cloud.organization.name}</dd>
            <dt className="text-slate-600">Region</dt><dd>{cloud.region}</dd>
            <dt className="text-slate-600">Contacts</dt><dd>{cloud.contactEmails.join(', ') || '—'}</dd>
            <dt className="text-slate-600">Created</dt><dd>{formatDate(cloud.createdAt)}</dd>
          </dl>
          {may(ctx, 'credential.read', resource) && (
            <p className="mt-3 text-sm"><Link className="text-blue-700 underline" href={`/clouds/${cloud.slug}/credential`}>Credentials and connection test</Link></p>
          )}
          {cloud.description && <p className="mt-3 whitespace-pre-line text-sm text-slate-700">{cloud.description}</p>}
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Master-KEK attestation</h2>
          <ManualResultLine result={manual} href={`/clouds/${cloud.slug}/attestations`} />
        </Card>
      </div>
    </>
  );
}
