import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse } from '@/lib/next/page';
import { reviewSheet } from '@/lib/attestations';
import { PageHeader, Card, Table, Tag, Td, Time, formatDate } from '@/components/ui/layout';
import { textPreviews } from '@/lib/attestations';
import { hasChanges } from '@/lib/attestations/changes';
import { EvidencePreview } from '@/components/attestations/evidence-preview';
import { StatementView } from '@/components/attestations/statement-view';
import { ReviewForm } from '@/components/attestations/forms';
import { StateTag, VerdictTag } from '@/components/attestations/manual-result';
import { reviewAttestationAction } from '../../actions';

export const metadata: Metadata = { title: 'Review attestation' };

const DECISION_LABEL = { approve: 'Approved', reject: 'Rejected', request_changes: 'Changes requested' } as const;

const SEVERITY_STYLE = {
  mismatch: 'border-red-400 bg-red-50 text-red-950',
  warning: 'border-yellow-400 bg-yellow-50 text-yellow-950',
  info: 'border-blue-300 bg-blue-50 text-blue-950',
} as const;

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext(`/attestations/${id}/review`);
  const {
    attestation: a,
    results,
    findings,
    highlights,
    compared,
    earlierReviews,
  } = await orRefuse(reviewSheet(ctx, id));
  const texts = await textPreviews(ctx, a.id, a.files);
  const changes = compared?.changes;
  const flagged = new Set(
    findings
      .filter((f) => f.severity !== 'info')
      .map((f) => f.testcase)
      .filter(Boolean),
  );
  const latest = a.submissions.at(-1);
  return (
    <>
      <PageHeader
        title={`Review: ${a.cloud.name}, revision ${a.revision}`}
        breadcrumbs={[
          { href: '/attestations', label: 'Review queue' },
          { href: `/attestations/${a.id}`, label: `Revision ${a.revision}` },
        ]}
        description={
          <>
            <StateTag state={a.state} /> {a.cloud.organization.name} · submitted {formatDate(a.submittedAt)}
            {latest && <> by {latest.signerName}</>}
          </>
        }
      />
      {compared && changes && (
        <Card className="mb-4" testId="submission-diff">
          <h2 className="mb-1 font-semibold">Changes since {compared.label}</h2>
          {!hasChanges(changes) ? (
            <p className="text-sm text-slate-700">Nothing changed: the same answers and the same files.</p>
          ) : (
            <>
              {changes.answers.length > 0 && (
                <Table caption="Changed answers" head={['Question', 'Before', 'Now']}>
                  {changes.answers.map((c) => (
                    <tr key={c.field} data-testid="changed-answer" data-field={c.field}>
                      <Td className="min-w-40 font-medium">{c.label}</Td>
                      <Td className="min-w-40 whitespace-pre-wrap break-words bg-red-50 text-red-950">
                        <span className="sr-only">Before: </span>
                        {c.before}
                      </Td>
                      <Td className="min-w-40 whitespace-pre-wrap break-words bg-green-50 text-green-950">
                        <span className="sr-only">Now: </span>
                        {c.after}
                      </Td>
                    </tr>
                  ))}
                </Table>
              )}
              {changes.filesAdded.length + changes.filesRemoved.length + changes.filesRenamed.length > 0 && (
                <ul className="mt-3 space-y-1 text-sm" data-testid="changed-files">
                  {changes.filesAdded.map((f) => (
                    <li key={`a-${f.sha256}`} className="break-all">
                      <Tag tone="green">added</Tag> {f.name}
                    </li>
                  ))}
                  {changes.filesRemoved.map((f) => (
                    <li key={`r-${f.sha256}`} className="break-all">
                      <Tag tone="red">removed</Tag> {f.name}
                    </li>
                  ))}
                  {changes.filesRenamed.map((f) => (
                    <li key={`n-${f.sha256}`} className="break-all">
                      <Tag tone="blue">renamed</Tag> {f.before} → {f.after}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </Card>
      )}
      {earlierReviews.length > 0 && (
        <Card className="mb-4" testId="earlier-reviews">
          <h2 className="mb-2 font-semibold">Earlier decisions and comments</h2>
          <ol className="space-y-2 text-sm">
            {earlierReviews.map((r) => (
              <li key={r.id} className="border-l-2 border-slate-300 pl-3">
                <p className="font-medium">
                  {DECISION_LABEL[r.decision]} · revision {r.revision}, submission {r.submissionNumber} ·{' '}
                  {r.reviewerLabel} · <Time value={r.at} />
                </p>
                <p className="whitespace-pre-wrap break-words text-slate-800">{r.comment}</p>
              </li>
            ))}
          </ol>
        </Card>
      )}
      {findings.length > 0 && (
        <section aria-labelledby="findings" className="mb-4">
          <h2 id="findings" className="mb-2 font-semibold">
            Statement against the automated results
          </h2>
          <ul className="space-y-2">
            {findings.map((f, i) => (
              <li
                key={i}
                className={`rounded-md border-l-4 px-3 py-2 text-sm ${SEVERITY_STYLE[f.severity]}`}
                data-testid="finding"
                data-severity={f.severity}
                data-rule={f.rule}
              >
                <strong className="uppercase">{f.severity}</strong>
                {f.testcase && (
                  <>
                    {' '}
                    · <code>{f.testcase}</code>
                  </>
                )}
                : {f.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card className="min-w-0">
          <h2 className="mb-2 font-semibold">Statement</h2>
          <StatementView statement={a.statement} highlights={highlights} showClauses={false} />
          <h3 className="mb-1 mt-4 text-sm font-semibold">Evidence</h3>
          <ul className="space-y-1 text-sm">
            {a.files.map((f) => (
              <li key={f.id}>
                <a
                  className="break-all text-blue-800 hover:underline"
                  href={`/api/v1/attestations/${a.id}/files/${f.id}`}
                  download
                >
                  {f.name}
                </a>{' '}
                <span className="text-slate-600">{f.mime}</span>{' '}
                <code className="block break-all text-xs">{f.sha256}</code>
                <EvidencePreview attestationId={a.id} file={f} text={texts[f.id]} />
              </li>
            ))}
          </ul>
          {latest && (
            <p className="mt-3 text-xs text-slate-600">
              Submission {latest.number} digest: <code className="break-all">{latest.digest}</code>
            </p>
          )}
        </Card>
        <Card className="min-w-0">
          <h2 className="mb-2 font-semibold">Latest automated results</h2>
          {results.length === 0 ? (
            <p className="text-sm text-slate-600">No automated results for this cloud yet.</p>
          ) : (
            <Table caption="Latest automated results" head={['Testcase', 'Verdict', 'Message', 'Checked']}>
              {results.map((r) => (
                <tr
                  key={r.testcase}
                  className={flagged.has(r.testcase) ? 'bg-red-50' : ''}
                  data-testid="automated-result"
                  data-testcase={r.testcase}
                  data-flagged={flagged.has(r.testcase) ? 'true' : undefined}
                >
                  <Td>
                    <code className="text-xs">{r.testcase}</code>
                  </Td>
                  <Td>
                    <VerdictTag verdict={r.verdict} />
                  </Td>
                  <Td className="break-words">{r.message}</Td>
                  <Td className="whitespace-nowrap text-xs">{formatDate(r.checkedAt)}</Td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
      <Card className="mt-4">
        <h2 className="mb-2 font-semibold">Decision</h2>
        {a.state === 'submitted' ? (
          <ReviewForm action={reviewAttestationAction} id={a.id} />
        ) : (
          <p className="text-sm text-slate-700">
            This revision is not waiting for review.{' '}
            <Link className="text-blue-800 hover:underline" href={`/attestations/${a.id}`}>
              Open it
            </Link>
            .
          </p>
        )}
      </Card>
    </>
  );
}
