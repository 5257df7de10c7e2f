import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, may } from '@/lib/next/page';
import { listAttestations, STATE_LABELS } from '@/lib/attestations';
import { PageHeader, EmptyState, Table, Td, formatDate } from '@/components/ui/layout';
import { Pagination } from '@/components/ui/pagination';
import { StateTag } from '@/components/attestations/manual-result';
import { FilterForm, FilterSelect } from '@/components/ui/filters';

export const metadata: Metadata = { title: 'Attestations' };

/** Staff: the review queue (submitted, oldest first). CSP users: their organizations' attestations. */
export default async function AttestationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const ctx = await pageContext('/attestations');
  const reviewer = may(ctx, 'attestation.review', { type: 'global' });
  const state = sp.state ?? (reviewer ? 'submitted' : '');
  const page = await listAttestations(ctx, { state: state || undefined, page: sp.page });
  return (
    <>
      <PageHeader
        title={reviewer ? 'Review queue' : 'Attestations'}
        description={
          reviewer
            ? 'Self-attestations of the Master-KEK step (scs-0116 v1, key-manager-docs-check) waiting for a decision.'
            : "Your organizations' key-manager attestations."
        }
      />
      <FilterForm label="Filter attestations">
        <FilterSelect
          name="state"
          label="State"
          value={state}
          all
          options={Object.entries(STATE_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </FilterForm>
      {page.total === 0 ? (
        <EmptyState title={state === 'submitted' ? 'Nothing waits for review.' : 'No attestations.'} />
      ) : (
        <Table caption="Attestations" head={['Cloud', 'Revision', 'State', 'Submitted', 'Files', '']}>
          {page.items.map((a) => (
            <tr key={a.id} data-testid="queue-item">
              <Td>
                <span className="font-medium">{a.cloud.name}</span>{' '}
                <span className="text-slate-500">{a.cloud.organization.name}</span>
              </Td>
              <Td>{a.revision}</Td>
              <Td>
                <StateTag state={a.state} />
              </Td>
              <Td className="whitespace-nowrap">{formatDate(a.submittedAt)}</Td>
              <Td>{a.fileCount}</Td>
              <Td>
                <Link className="text-blue-800 hover:underline" href={`/attestations/${a.id}`}>
                  Open
                </Link>
                {reviewer && a.state === 'submitted' && (
                  <>
                    {' '}
                    ·{' '}
                    <Link className="text-blue-800 hover:underline" href={`/attestations/${a.id}/review`}>
                      Review
                    </Link>
                  </>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination page={page.page} pages={page.pages} total={page.total} basePath="/attestations" params={{ state }} />
    </>
  );
}
