import type { Metadata } from 'next';
import Link from 'next/link';
import { publicClouds } from '@/lib/compliance/public';
import { PublicShell } from '@/components/compliance/public-shell';
import { Legend, StatusTag } from '@/components/compliance/status';
import { EmptyState, Table, Td } from '@/components/ui/layout';

export const metadata: Metadata = { title: 'Certificate status' };
export const dynamic = 'force-dynamic';

// Public: publicly listed clouds only (lib/compliance/public.ts filters), server-rendered, no JavaScript needed.
export default async function PublicStatusList() {
  const clouds = await publicClouds();
  return (
    <PublicShell>
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Certificate status: SCS Key Manager (scs-0116)</h1>
      <p className="mb-4 text-sm text-slate-600">Publicly listed clouds, their current status against scs-0116 v1 and their certificates.</p>
      <div className="mb-4"><Legend /></div>
      {clouds.length === 0 ? <EmptyState title="No cloud is publicly listed yet." /> : (
        <Table caption="Publicly listed clouds" head={['Cloud', 'Operator', 'scs-0116 v1', 'Certificate']}>
          {clouds.map((c) => (
            <tr key={c.cloud.id} data-testid="public-row" data-cloud={c.cloud.slug}>
              <Td><Link className="font-medium text-blue-800 hover:underline" href={`/status/${c.cloud.slug}`}>{c.cloud.name}</Link></Td>
              <Td>{c.cloud.organization.name}</Td>
              <Td><StatusTag status={c.status} /></Td>
              <Td>{c.certificate.current ? `${c.certificate.state}, until ${c.certificate.current.validUntil.toISOString().slice(0, 10)}` : 'none'}</Td>
            </tr>
          ))}
        </Table>
      )}
    </PublicShell>
  );
}
