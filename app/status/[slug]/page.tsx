import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PERIODS, parsePeriod } from '@/lib/compliance';
import { publicCloud, publicHistory, publicRunSummaries, publicBaseUrl } from '@/lib/compliance/public';
import { NotFoundError } from '@/lib/errors';
import { PublicShell } from '@/components/compliance/public-shell';
import { HistoryStrips, PeriodFilter, StatusTag } from '@/components/compliance/status';
import { Card, formatDate } from '@/components/ui/layout';

export const metadata: Metadata = { title: 'Certificate status page' };
export const dynamic = 'force-dynamic';

async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try { return await p; } catch (e) { if (e instanceof NotFoundError) notFound(); throw e; }
}

// SCS-0004 §4: current state and 18 months of history of a public cloud; no documents, no evidence.
export default async function PublicCloudStatus({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { slug } = await params;
  const period = parsePeriod((await searchParams).period);
  const c = await orNotFound(publicCloud(slug));
  const [history, runs] = await Promise.all([publicHistory(slug, period), publicRunSummaries(slug, 10)]);
  const base = publicBaseUrl();
  const cert = c.certificate;
  return (
    <PublicShell>
      <h1 className="text-2xl font-semibold tracking-tight">{c.cloud.name}</h1>
      <p className="mb-4 text-sm text-slate-600">Operated by {c.cloud.organization.name} · region {c.cloud.region}</p>
      <div className="grid gap-4 md:grid-cols-[1fr_auto]">
        <Card>
          <h2 className="mb-2 font-semibold">Current status</h2>
          {c.evaluations.map((e) => (
            <div key={e.standard} className="mb-3" data-testid={`public-${e.standard}`}>
              <p className="text-sm"><span className="font-medium">{e.standard === 'scs-0116-v1' ? 'SCS Key Manager Standard v1' : 'Earlier draft (all SHOULD)'}</span> <StatusTag status={e.status} testId={`public-status-${e.standard}`} /></p>
              {e.reasons.length > 0 && <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">{e.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
              {e.warnings.length > 0 && <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">{e.warnings.map((r) => <li key={r}>Warning: {r}</li>)}</ul>}
            </div>
          ))}
          <table className="min-w-full text-sm">
            <caption className="sr-only">Testcases</caption>
            <thead className="text-left text-xs uppercase text-slate-600"><tr><th scope="col" className="pr-3">Testcase</th><th scope="col" className="pr-3">Requirement</th><th scope="col" className="pr-3">Verdict</th><th scope="col">Valid until</th></tr></thead>
            <tbody>{c.evaluations[0].testcases.filter((t) => t.requirement !== 'informational').map((t) => (
              <tr key={t.id}><td className="pr-3 font-mono text-xs">{t.id}</td><td className="pr-3">{t.requirement}</td><td className="pr-3"><StatusTag status={t.verdict} /></td><td>{formatDate(t.expiresAt)}</td></tr>
            ))}</tbody>
          </table>
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">Certificate</h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="public-certificate">
            <dt className="text-slate-600">State</dt><dd>{cert.current ? cert.state : 'none granted'}</dd>
            {cert.current && <><dt className="text-slate-600">Granted</dt><dd>{cert.current.grantedAt.toISOString().slice(0, 10)}</dd>
              <dt className="text-slate-600">Valid until</dt><dd>{cert.current.validUntil.toISOString().slice(0, 10)}</dd></>}
            {cert.current?.revokedAt && <><dt className="text-slate-600">Revoked</dt><dd>{cert.current.revokedAt.toISOString().slice(0, 10)}: {cert.current.revokedReason}</dd></>}
            <dt className="text-slate-600">Attestation</dt><dd data-testid="public-attestation">{c.manual.verdict === 'PASS' && c.manual.expiresAt ? `approved until ${c.manual.expiresAt.toISOString().slice(0, 10)}` : c.manual.verdict === 'FAIL' ? 'rejected' : 'none valid'}</dd>
          </dl>
          <div className="mt-3 flex items-center gap-3">
            {/* eslint-disable-next-line @next/next/no-img-element -- our own SVG routes; no client JavaScript on public pages */}
            <img src={`/badge/${c.cloud.slug}.svg`} alt={`Status badge: ${c.status}`} height={20} />
            {/* eslint-disable-next-line @next/next/no-img-element -- see above */}
            <img src={`/status/${c.cloud.slug}/qr.svg`} alt={`QR code of ${base}/status/${c.cloud.slug}`} width={96} height={96} />
          </div>
          <p className="mt-2 text-xs text-slate-600">QR code: <a className="underline" href={`/status/${c.cloud.slug}/qr.svg`}>SVG</a> · <a className="underline" href={`/status/${c.cloud.slug}/qr.png`}>PNG</a></p>
          <label className="mt-2 block text-xs text-slate-600">Embed the badge
            <textarea readOnly rows={3} className="mt-1 block w-full rounded border border-slate-300 p-1 font-mono text-xs"
              defaultValue={`<a href="${base}/status/${c.cloud.slug}"><img src="${base}/badge/${c.cloud.slug}.svg" alt="SCS Key Manager status"></a>`} />
          </label>
        </Card>
      </div>
      <Card className="mt-4">
        <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
          <h2 className="font-semibold">History</h2>
          <PeriodFilter basePath={`/status/${c.cloud.slug}`} period={period} periods={Object.keys(PERIODS)} />
        </div>
        <HistoryStrips history={history} testId="public-history" />
      </Card>
      <Card className="mt-4">
        <h2 className="mb-2 font-semibold">Latest runs</h2>
        {runs.length === 0 ? <p className="text-sm text-slate-600">No finished run yet.</p> : (
          <ul className="divide-y divide-slate-100 text-sm" data-testid="public-runs">
            {runs.map((r) => (
              <li key={r.id} className="py-2">
                <p className="font-medium">{formatDate(r.queuedAt)}</p>
                <ul className="mt-1 space-y-1">{r.results.map((x) => (
                  <li key={x.testcase} className="flex flex-wrap items-baseline gap-2"><StatusTag status={x.verdict} /><span className="font-mono text-xs">{x.testcase}</span><span className="text-slate-700">{x.message}</span></li>
                ))}</ul>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </PublicShell>
  );
}
