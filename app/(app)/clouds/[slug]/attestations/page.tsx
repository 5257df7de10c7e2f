import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { listCloudAttestations } from '@/lib/attestations';
import { PageHeader, Card, EmptyState, Table, Td, formatDate } from '@/components/ui/layout';
import { ManualResultLine, StateTag } from '@/components/attestations/manual-result';
import { StartAttestationForm } from '@/components/attestations/forms';
import { createAttestationAction } from '../../../attestations/actions';

export const metadata: Metadata = { title: 'Attestations' };

export default async function CloudAttestationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await pageContext(`/clouds/${slug}/attestations`);
  const { cloud, revisions, open, result } = await orRefuse(listCloudAttestations(ctx, slug));
  const canStart =
    !open &&
    !cloud.archivedAt &&
    may(ctx, 'attestation.write', { type: 'attestation', organizationId: cloud.organization.id });
  return (
    <>
      <PageHeader
        title={`Key-manager attestations of ${cloud.name}`}
        breadcrumbs={[
          { href: '/clouds', label: 'Clouds' },
          { href: `/clouds/${cloud.slug}`, label: cloud.name },
        ]}
        description="scs-0116 v1 leaves the Master-KEK step to the CSP: a statement with evidence, reviewed by the certification body and repeated every quarter (SCS-0004)."
      />
      <Card className="mb-4">
        <h2 className="mb-2 font-semibold">Manual testcase</h2>
        <ManualResultLine result={result} />
        <div className="mt-3 flex flex-wrap gap-3">
          {open && (
            <Link className="text-blue-800 hover:underline" href={`/attestations/${open.id}`}>
              Continue revision {open.revision} ({open.state.replace('_', ' ')})
            </Link>
          )}
          {canStart && (
            <StartAttestationForm
              action={createAttestationAction}
              slug={cloud.slug}
              label={revisions.length ? 'Start a new revision' : 'Start the attestation'}
            />
          )}
        </div>
      </Card>
      {revisions.length === 0 ? (
        <EmptyState title="No attestation yet." />
      ) : (
        <Table caption="Revisions" head={['Revision', 'State', 'Submitted', 'Decided', 'Expires', 'Files']}>
          {revisions.map((r) => (
            <tr key={r.id}>
              <Td>
                <Link className="font-medium text-blue-800 hover:underline" href={`/attestations/${r.id}`}>
                  Revision {r.revision}
                </Link>
              </Td>
              <Td>
                <StateTag state={r.state} />
              </Td>
              <Td className="whitespace-nowrap">{formatDate(r.submittedAt)}</Td>
              <Td className="whitespace-nowrap">{formatDate(r.decidedAt)}</Td>
              <Td className="whitespace-nowrap">{formatDate(r.expiresAt)}</Td>
              <Td>{r.fileCount}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
