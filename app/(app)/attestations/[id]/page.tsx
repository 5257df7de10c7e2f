import type { Metadata } from 'next';
import Link from 'next/link';
import { pageContext, orRefuse, may } from '@/lib/next/page';
import { getAttestation } from '@/lib/attestations';
import { maxFileBytes, maxFiles } from '@/lib/attestations/config';
import { formatBytes } from '@/lib/format';
import { ACCEPT_ATTRIBUTE, ACCEPTED_SUMMARY } from '@/lib/attestations/files';
import { PageHeader, Card, Table, Td, Time, formatDate } from '@/components/ui/layout';
import { textPreviews } from '@/lib/attestations';
import { problemsSentence, submissionProblems } from '@/lib/attestations/changes';
import { EvidencePreview } from '@/components/attestations/evidence-preview';
import { LinkButton } from '@/components/ui/button';
import { ConfirmForm } from '@/components/ui/confirm-form';
import { StatementForm } from '@/components/attestations/statement-form';
import { StatementView } from '@/components/attestations/statement-view';
import { FileUpload } from '@/components/attestations/file-upload';
import { SubmitAttestationForm } from '@/components/attestations/forms';
import { StateTag } from '@/components/attestations/manual-result';
import { removeAttestationFileAction, saveAttestationAction, submitAttestationAction } from '../actions';

export const metadata: Metadata = { title: 'Attestation' };

const DECISION_LABEL = { approve: 'Approved', reject: 'Rejected', request_changes: 'Changes requested' } as const;

export default async function AttestationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ check?: string; submitted?: string }>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const ctx = await pageContext(`/attestations/${id}`);
  const a = await orRefuse(getAttestation(ctx, id));
  const texts = await textPreviews(ctx, a.id, a.files);
  const res = { type: 'attestation' as const, organizationId: a.cloud.organization.id };
  const canWrite = a.editable && may(ctx, 'attestation.write', res);
  const canSubmit = a.editable && may(ctx, 'attestation.submit', res);
  const canReview = a.state === 'submitted' && may(ctx, 'attestation.review', res);
  const lastReview = a.reviews.at(-1);
  const problems = a.editable ? submissionProblems(a.statement, a.files.length) : [];
  const showProblems = sp.check === '1' && problems.length > 0;
  const latestSubmission = a.submissions.at(-1);
  return (
    <>
      <PageHeader
        title={`Key-manager attestation · revision ${a.revision}`}
        breadcrumbs={[
          { href: '/clouds', label: 'Clouds' },
          { href: `/clouds/${a.cloud.slug}`, label: a.cloud.name },
          { href: `/clouds/${a.cloud.slug}/attestations`, label: 'Attestations' },
        ]}
        description={
          <>
            <StateTag state={a.state} /> {a.cloud.organization.name} · scs-0116 v1, manual testcase
            key-manager-docs-check · updated {formatDate(a.updatedAt)}
          </>
        }
        actions={
          canReview ? (
            <LinkButton href={`/attestations/${a.id}/review`} variant="primary">
              Review
            </LinkButton>
          ) : undefined
        }
      />
      {showProblems && (
        <div
          id="problems"
          role="alert"
          tabIndex={-1}
          className="mb-4 scroll-mt-4 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-950"
          data-testid="problem-summary"
        >
          <p className="font-semibold">Not submitted yet: {problemsSentence(problems)}</p>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {problems.map((p) => (
              <li key={p.field}>
                <a className="underline" href={p.field === 'file' ? `#upload-${a.id}` : `#f-${p.field}`}>
                  {p.label}
                </a>
                : {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {a.state === 'submitted' && latestSubmission && (
        <div
          role="status"
          className="mb-4 rounded-md border border-blue-300 bg-blue-50 px-4 py-3 text-sm text-blue-950"
          data-testid="submitted-next"
        >
          <p className="font-semibold">
            {sp.submitted === '1' ? 'Submitted for review.' : 'Waiting for review.'} Submission{' '}
            {latestSubmission.number} was signed by {latestSubmission.signerName} on{' '}
            <Time value={latestSubmission.signedAt} />.
          </p>
          <p className="mt-1 font-medium">What happens next</p>
          <ol className="mt-1 list-decimal space-y-0.5 pl-5">
            <li>
              A reviewer of the certification body reads the statement and the evidence beside the cloud&apos;s latest
              automated results.
            </li>
            <li>
              They approve it, request changes or reject it, always with a comment; {a.cloud.organization.name} is
              notified and the comment appears on this page.
            </li>
            <li>
              Approved, it holds for one quarter (the manual testcase key-manager-docs-check becomes PASS); with changes
              requested you edit this revision and submit it again.
            </li>
          </ol>
          <p className="mt-1">Nothing to do meanwhile; the revision is locked until the decision.</p>
        </div>
      )}
      {a.state === 'approved' && (
        <p
          className="mb-4 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900"
          data-testid="approval"
        >
          Approved {formatDate(a.approvedAt)}; holds until {formatDate(a.expiresAt)}.
          {a.superseded && ' Superseded by a later approved revision.'} This revision can no longer change; start a new
          revision from the cloud&apos;s attestations to renew it.
        </p>
      )}
      {lastReview && a.state === 'changes_requested' && (
        <div
          role="note"
          className="mb-4 rounded-md border border-yellow-300 bg-yellow-50 px-3 py-2 text-sm text-yellow-950"
          data-testid="changes-requested"
        >
          <p className="font-medium">
            The reviewer requested changes ({formatDate(lastReview.at)}, {lastReview.reviewerLabel}):
          </p>
          <p className="mt-1 whitespace-pre-wrap break-words">{lastReview.comment}</p>
        </div>
      )}
      <div className="space-y-4">
        <Card>
          <h2 className="mb-2 font-semibold">Statement</h2>
          {canWrite ? (
            <StatementForm
              id={a.id}
              action={saveAttestationAction}
              defaults={a.statement}
              problems={showProblems ? Object.fromEntries(problems.map((p) => [p.field, p.message])) : undefined}
            />
          ) : (
            <StatementView statement={a.statement} />
          )}
        </Card>

        <Card>
          <h2 className="mb-2 font-semibold">
            Evidence ({a.files.length} of {maxFiles()})
          </h2>
          {a.files.length === 0 ? (
            <p className="mb-3 text-sm text-slate-600">No evidence attached yet.</p>
          ) : (
            <div className="mb-3">
              <Table caption="Evidence files" head={['File', 'Type', 'Size', 'SHA-256', '']}>
                {a.files.map((f) => (
                  <tr key={f.id} data-testid="evidence-file">
                    <Td className="min-w-48">
                      <a
                        href={`/api/v1/attestations/${a.id}/files/${f.id}`}
                        className="break-all text-blue-800 hover:underline"
                        download
                      >
                        {f.name}
                      </a>
                      <EvidencePreview attestationId={a.id} file={f} text={texts[f.id]} />
                    </Td>
                    <Td>{f.mime}</Td>
                    <Td className="whitespace-nowrap">{formatBytes(f.size)}</Td>
                    <Td>
                      <code className="break-all text-xs" data-testid="sha256">
                        {f.sha256}
                      </code>
                    </Td>
                    <Td>
                      {canWrite && (
                        <ConfirmForm
                          action={removeAttestationFileAction}
                          fields={{ id: a.id, fileId: f.id }}
                          label="Remove"
                          variant="secondary"
                          title={`Remove ${f.name}?`}
                          body="The file is detached from this revision. Earlier submissions keep its hash in their records."
                        />
                      )}
                    </Td>
                  </tr>
                ))}
              </Table>
            </div>
          )}
          {showProblems && problems.some((p) => p.field === 'file') && (
            <p className="mb-2 text-sm text-red-700" id="file-error">
              Attach at least one evidence file.
            </p>
          )}
          {canWrite && a.files.length < maxFiles() && (
            <FileUpload
              id={a.id}
              accept={ACCEPT_ATTRIBUTE}
              limitText={`${ACCEPTED_SUMMARY}; up to ${formatBytes(maxFileBytes())} each and ${maxFiles()} per revision. The type is decided by the content.`}
            />
          )}
        </Card>

        {canSubmit && (
          <Card>
            <h2 className="mb-2 font-semibold">Sign and submit</h2>
            {problems.length > 0 && (
              <p className="mb-2 text-sm text-yellow-900" data-testid="submit-readiness">
                Before you can submit: {problemsSentence(problems)}
              </p>
            )}
            <p className="mb-3 text-sm text-slate-600">
              Submitting records your name, the time, your address and browser, and a SHA-256 digest over the statement
              and the files&apos; hashes. The revision is then locked until the review.
            </p>
            <SubmitAttestationForm
              action={submitAttestationAction}
              id={a.id}
              organization={a.cloud.organization.name}
              defaultName={ctx.actor.name}
            />
          </Card>
        )}

        <Card>
          <h2 className="mb-2 font-semibold">Signatures and reviews</h2>
          {a.submissions.length === 0 ? (
            <p className="text-sm text-slate-600">Not submitted yet.</p>
          ) : (
            <ol className="space-y-3 text-sm">
              {a.submissions.map((s) => (
                <li key={s.id} className="rounded-md border border-slate-200 p-3" data-testid="signature">
                  <p className="font-medium">
                    Submission {s.number}: signed by {s.signerName} &lt;{s.signerEmail}&gt;
                  </p>
                  <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
                    <dt className="text-slate-600">Time</dt>
                    <dd>
                      <Time value={s.signedAt} seconds />
                    </dd>
                    <dt className="text-slate-600">Client address</dt>
                    <dd>{s.clientAddress ?? '—'}</dd>
                    <dt className="text-slate-600">User agent</dt>
                    <dd className="break-all">{s.userAgent ?? '—'}</dd>
                    <dt className="text-slate-600">Digest (SHA-256)</dt>
                    <dd>
                      <code className="break-all" data-testid="digest">
                        {s.digest}
                      </code>
                    </dd>
                    <dt className="text-slate-600">Files</dt>
                    <dd>{s.files.map((f) => f.name).join(', ')}</dd>
                  </dl>
                  {a.reviews
                    .filter((r) => r.submissionNumber === s.number)
                    .map((r) => (
                      <div key={r.id} className="mt-2 border-l-2 border-slate-300 pl-2" data-testid="review">
                        <p className="font-medium">
                          {DECISION_LABEL[r.decision]} by {r.reviewerLabel}, {formatDate(r.at)}
                        </p>
                        <p className="whitespace-pre-wrap break-words text-slate-800">{r.comment}</p>
                      </div>
                    ))}
                </li>
              ))}
            </ol>
          )}
        </Card>

        <Card>
          <h2 className="mb-2 font-semibold">Notifications to {a.cloud.organization.name}</h2>
          {a.notifications.length === 0 ? (
            <p className="text-sm text-slate-600">
              None yet. Reminders are sent 14 days and 1 day before an approval expires.
            </p>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="notifications">
              {a.notifications.map((n) => (
                <li key={n.id} data-testid={n.kind === 'attestation-expiry' ? 'reminder' : 'notification'}>
                  <span className="text-slate-600">{formatDate(n.createdAt)}</span> · {n.subject}{' '}
                  <span data-testid="notification-outcome">({n.outcome.text})</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <p className="text-sm">
          <Link href={`/clouds/${a.cloud.slug}/attestations`} className="text-blue-800 hover:underline">
            All revisions of {a.cloud.name}
          </Link>
        </p>
      </div>
    </>
  );
}
