import type { Metadata } from 'next';
import { revocationList } from '@/lib/compliance';
import { PublicShell } from '@/components/compliance/public-shell';
import { EmptyState, Table, Td } from '@/components/ui/layout';

export const metadata: Metadata = { title: 'Certificate revocation list' };
export const dynamic = 'force-dynamic';

// Public (SCS-0004 §7): every revoked certificate with its reason.
export default async function RevocationListPage() {
  const items = await revocationList();
  return (
    <PublicShell>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Certificate revocation list</h1>
      <p className="mb-4 text-sm text-slate-600">Certificates of conformance to the SCS Key Manager Standard that were revoked. Also as <a className="underline" href="/api/v1/certificates/revoked">JSON</a>.</p>
      {items.length === 0 ? <EmptyState title="No certificate has been revoked." /> : (
        <Table caption="Revoked certificates" head={['Cloud', 'Operator', 'Standard', 'Granted', 'Revoked', 'Reason']}>
          {items.map((r) => (
            <tr key={r.id} data-testid="revoked-row">
              <Td>{r.cloud ? <>{r.cloud.name} <span className="text-slate-600">{r.cloud.slug}</span></> : <>unlisted cloud <span className="font-mono text-xs text-slate-600">{r.id}</span></>}</Td><Td>{r.organization ?? '—'}</Td><Td>{r.standard}</Td>
              <Td>{r.grantedAt.toISOString().slice(0, 10)}</Td><Td>{r.revokedAt.toISOString().slice(0, 10)}</Td><Td>{r.reason}</Td>
            </tr>
          ))}
        </Table>
      )}
    </PublicShell>
  );
}
