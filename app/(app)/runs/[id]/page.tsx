import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { diffWithPrevious, getRun, snapshotOf } from '@/lib/runs';
import { checkTitle, failuresFirst, summarizeRun } from '@/lib/runs/summary';
import { formatDuration, plural } from '@/lib/format';
import { PageHeader, Card, Table, Td, Time } from '@/components/ui/layout';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { LiveRunStatus, RunLive } from '@/components/runs/run-live';
import { EvidenceTimeline } from '@/components/runs/evidence';
import { VerdictTag } from '@/components/runs/verdict';
import { StatusTag } from '@/components/compliance/status';
import { cancelRunAction } from '../actions';

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext(`/runs/${id}`);
  const run = await orRefuse(getRun(ctx, id, { evidence: true }));
  const resource = { type: 'cloud' as const, organizationId: run.cloud.organizationId };
  const imported = run.source === 'official-runner';
  const active = run.status === 'queued' || run.status === 'running';
  const diff = active ? null : await diffWithPrevious(ctx, id);
  const summary = summarizeRun(run);
  const report = run.report as {
    leftovers?: Array<{ kind: string; name: string | null; uuid: string; deleted: boolean; reason: string }>;
    warnings?: string[];
    earlierRuns?: { found: Array<{ kind: string; name: string | null; deleted: boolean; reason: string }> } | null;
  } | null;
  return (
    <>
      <PageHeader
        title={`Run of ${run.cloud.name}`}
        breadcrumbs={[
          { href: '/clouds', label: 'Clouds' },
          { href: `/clouds/${run.cloud.slug}`, label: run.cloud.name },
        ]}
        description={
          <>
            {run.source === 'official-runner' ? (
              <>
                official SCS runner, signed report · checked <Time value={run.finishedAt} />
                {run.signedBy && (
                  <>
                    {' '}
                    ·{' '}
                    <span data-testid="run-signed-by">
                      key {run.signedBy.name ?? <code className="break-all">{run.signedBy.fingerprint}</code>}{' '}
                      {run.signedBy.approvedAt ? '(approved)' : run.signedBy.name ? '(not approved)' : '(removed)'}
                    </span>
                  </>
                )}
              </>
            ) : (
              <>
                {run.trigger} run · queued <Time value={run.queuedAt} />
              </>
            )}{' '}
            · <LiveRunStatus id={run.id} initial={run.status} />
            {run.roles.length > 0 && <> · token roles {run.roles.join(', ')}</>}
            {run.endpoint.authUrl && (
              <>
                {' '}
                · endpoint <code>{run.endpoint.authUrl}</code>
                {run.endpoint.region && <> (region {run.endpoint.region})</>}
              </>
            )}
          </>
        }
        actions={
          <>
            <a
              className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium shadow-sm hover:bg-slate-100"
              href={`/api/v1/runs/${run.id}/report?format=json`}
              download
            >
              Download JSON
            </a>
            <a
              className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium shadow-sm hover:bg-slate-100"
              href={`/api/v1/runs/${run.id}/report?format=yaml`}
              download
            >
              Download SCS report (YAML)
            </a>
            {run.status === 'finished' && (
              <a
                className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium shadow-sm hover:bg-slate-100"
                href={`/api/v1/runs/${run.id}/report?format=signed-yaml`}
                download
                title={
                  run.source === 'official-runner'
                    ? 'The report and signature exactly as the official runner uploaded them'
                    : "The SCS report signed with this dashboard's key, as a compliance monitor takes it"
                }
              >
                Signed report
              </a>
            )}
            {active && may(ctx, 'run.cancel', resource) && (
              <ConfirmForm
                action={cancelRunAction}
                fields={{ id: run.id }}
                label="Cancel run"
                title="Cancel this run?"
                body="Checks that have not started end as ABORT; test objects already created are still cleaned up."
              />
            )}
          </>
        }
      />
      <div className="space-y-4">
        {!run.counting.counts && (
          <div
            role="note"
            data-testid="run-not-counted"
            className="rounded-md border border-yellow-300 bg-yellow-50 px-4 py-3 text-sm break-words text-yellow-950"
          >
            <strong>Does not count.</strong> {run.counting.reason}
            {imported && run.counting.cause === 'endpoint' && run.endpoint.authUrl === null && (
              <>
                {' '}
                The runner&apos;s report names its endpoint when the subject&apos;s mapping in its config.toml sets{' '}
                <code>auth_url</code> and <code>region</code> (docs/official-tooling.md).
              </>
            )}
          </div>
        )}
        {!active && (
          <Card>
            <div data-testid="run-summary">
              <h2 className="mb-3 font-semibold">Summary</h2>
              {summary.verdicts ? (
                <div className="grid gap-3 sm:grid-cols-2">
                  {summary.verdicts.map((e) => (
                    <div key={e.standard} data-testid={`run-verdict-${e.standard}`} className="text-sm">
                      <p>
                        <span className="font-medium">{e.short}</span>{' '}
                        <StatusTag status={e.status} testId={`run-status-${e.standard}`} />
                      </p>
                      {e.reasons[0] && <p className="mt-1 text-slate-700">{e.reasons[0]}</p>}
                      {e.warnings.length > 0 && (
                        <p className="mt-1 text-yellow-900">
                          {plural(e.warnings.length, 'warning')} (recommended testcases)
                        </p>
                      )}
                    </div>
                  ))}
                </div>
              ) : (
                <p className="text-sm text-slate-700">
                  This run was {run.status} before it finished, so it decides no verdict.
                </p>
              )}
              <p className="mt-3 text-sm text-slate-700" data-testid="run-counts">
                {plural(run.results.length, 'result')}: {summary.counts.PASS} PASS · {summary.counts.FAIL} FAIL ·{' '}
                {summary.counts.ABORT} ABORT
                {summary.durationMs !== null && !imported && (
                  <>
                    {' '}
                    · took <span className="whitespace-nowrap">{formatDuration(summary.durationMs)}</span>
                  </>
                )}
                {run.finishedAt && (
                  <>
                    {' '}
                    · ended <Time value={run.finishedAt} />
                  </>
                )}
              </p>
              {summary.notPassing.length > 0 && (
                <div className="mt-3">
                  <h3 className="text-sm font-semibold">Not passing</h3>
                  <ul className="mt-1 space-y-1 text-sm" data-testid="not-passing">
                    {summary.notPassing.map((r) => (
                      <li key={r.testcase} className="flex flex-wrap items-baseline gap-2">
                        <VerdictTag verdict={r.verdict} />
                        <a className="font-mono text-xs text-blue-800 underline" href={`#result-${r.testcase}`}>
                          {r.testcase}
                        </a>
                        <span className="min-w-0 break-words text-slate-700">{r.message}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <p className="mt-3 text-sm">
                {diff?.previous ? (
                  <a className="text-blue-800 underline" href="#diff" data-testid="diff-link">
                    {diff.changes.length === 0
                      ? 'No change since the previous run'
                      : `${plural(diff.changes.length, 'change')} since the previous run`}
                  </a>
                ) : (
                  <span className="text-slate-600">This is the first finished run of this cloud.</span>
                )}
              </p>
              <p className="mt-2 text-xs text-slate-600">
                Decided from this run&apos;s results alone. The manual testcase (the Master-KEK attestation) is not part
                of a run; the cloud page combines both into the cloud&apos;s status.
              </p>
            </div>
          </Card>
        )}
        {/* An imported report has no progress of ours to follow: it arrived finished. */}
        {!imported && <RunLive initial={JSON.parse(JSON.stringify(snapshotOf(run)))} />}

        {!active && (
          <Card>
            <h2 className="mb-2 scroll-mt-4 font-semibold" id="diff">
              Changes since the previous run
            </h2>
            {!diff?.previous ? (
              <p className="text-sm text-slate-600">There is no earlier finished run to compare with.</p>
            ) : diff.changes.length === 0 ? (
              <p className="text-sm text-slate-600" data-testid="diff-none">
                No verdict or message changed since the{' '}
                <Link className="underline" href={`/runs/${diff.previous.id}`}>
                  previous run
                </Link>{' '}
                (<Time value={diff.previous.queuedAt} />
                ); {plural(diff.unchanged, 'result is', 'results are')} the same.
              </p>
            ) : (
              <div data-testid="diff">
                <p className="mb-2 text-sm text-slate-600">
                  Compared with the{' '}
                  <Link className="underline" href={`/runs/${diff.previous.id}`}>
                    previous run
                  </Link>{' '}
                  (<Time value={diff.previous.queuedAt} />
                  ); {plural(diff.unchanged, 'result')} unchanged.
                </p>
                <Table caption="Changed results" head={['Testcase', 'Before', 'Now']}>
                  {diff.changes.map((c) => (
                    <tr key={c.testcase}>
                      <Td className="font-mono text-xs">{c.testcase}</Td>
                      <Td>
                        {c.before ? (
                          <>
                            <VerdictTag verdict={c.before.verdict} />{' '}
                            <span className="text-xs text-slate-600">{c.before.message}</span>
                          </>
                        ) : (
                          <span className="text-slate-500">not run</span>
                        )}
                      </Td>
                      <Td>
                        {c.after ? (
                          <>
                            <VerdictTag verdict={c.after.verdict} />{' '}
                            <span className="text-xs text-slate-600">{c.after.message}</span>
                          </>
                        ) : (
                          <span className="text-slate-500">not run</span>
                        )}
                      </Td>
                    </tr>
                  ))}
                </Table>
              </div>
            )}
          </Card>
        )}

        {!active && run.results.length > 0 && (
          <Card>
            <h2 className="mb-3 font-semibold">Results</h2>
            <p className="-mt-2 mb-2 text-xs text-slate-600">Failures first, then ABORTs, then passes.</p>
            <ul className="divide-y divide-slate-100">
              {failuresFirst(run.results).map((r) => (
                <li
                  key={r.testcase}
                  id={`result-${r.testcase}`}
                  className="scroll-mt-4 py-3"
                  data-testid={`result-${r.testcase}`}
                >
                  <div className="flex flex-wrap items-baseline gap-2">
                    <VerdictTag verdict={r.verdict} />
                    <span className="font-mono text-sm">{r.testcase}</span>
                    <span className="text-sm text-slate-700">{checkTitle(r.testcase)}</span>
                    <span className="text-xs text-slate-500">{formatDuration(r.durationMs)}</span>
                  </div>
                  <p className="mt-1 break-words text-sm text-slate-800">{r.message}</p>
                  {run.source === 'official-runner' ? (
                    <p className="text-xs text-slate-500">
                      The evidence is the runner&apos;s own report and signature, kept as uploaded (Signed report).
                    </p>
                  ) : (
                    <EvidenceTimeline evidence={r.evidence} />
                  )}
                </li>
              ))}
            </ul>
          </Card>
        )}

        {report &&
          ((report.leftovers?.length ?? 0) > 0 ||
            (report.warnings?.length ?? 0) > 0 ||
            (report.earlierRuns?.found.length ?? 0) > 0) && (
            <Card>
              <h2 className="mb-2 font-semibold">Clean-up and warnings</h2>
              <ul className="list-disc space-y-1 pl-5 text-sm">
                {report.warnings?.map((w) => (
                  <li key={w}>{w}</li>
                ))}
                {report.leftovers?.map((l) => (
                  <li key={`${l.kind}-${l.uuid}`}>
                    {l.kind} {l.name ?? l.uuid}: {l.deleted ? 'deleted' : 'still in the cloud'} ({l.reason})
                  </li>
                ))}
                {report.earlierRuns?.found.map((l, i) => (
                  <li key={`e-${i}`}>
                    Interrupted run&apos;s {l.kind} {l.name}: {l.deleted ? 'deleted' : 'still in the cloud'} ({l.reason}
                    )
                  </li>
                ))}
              </ul>
            </Card>
          )}
      </div>
    </>
  );
}
