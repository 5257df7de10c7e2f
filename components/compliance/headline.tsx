import type { CloudCompliance, Evaluation } from '@/lib/compliance';
import { HEADLINE_PROFILE, DRAFT_PROFILE, OFFICIAL_PREFIX, statusOf } from '@/lib/compliance/profiles';
import { formatDate } from '@/components/ui/layout';
import { StatusTag } from './status';

function Reasons({ e }: { e: Pick<Evaluation, 'reasons' | 'warnings'> }) {
  return (
    <>
      {e.reasons.length > 0 && (
        <ul className="mt-1 list-disc pl-5 text-sm text-slate-700" aria-label="Reasons">
          {e.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {e.warnings.length > 0 && (
        <ul className="mt-1 list-disc pl-5 text-sm text-yellow-900" aria-label="Warnings">
          {e.warnings.map((r) => (
            <li key={r}>Warning: {r}</li>
          ))}
        </ul>
      )}
    </>
  );
}

const requirementText = (t: { requirement: string; kind: string }) =>
  t.kind === 'manual' ? `${t.requirement} (manual)` : t.requirement;

/**
 * A cloud's compliance on its page: one headline status (this dashboard's full profile scs-0116-v1,
 * the basis of certificates) with its reasons, the official SCS verdict beside it, and every
 * testcase of the full profile with its latest verdict and time (the km-* checks too, as information).
 */
export function ComplianceSection({ compliance }: { compliance: CloudCompliance }) {
  const headline = statusOf(compliance, HEADLINE_PROFILE);
  const draft = statusOf(compliance, DRAFT_PROFILE);
  const official = compliance.evaluations.filter((e) => e.kind === 'official');
  const deciding = compliance.official ? official.find((e) => e.standard === compliance.official!.version) : undefined;
  const previews = official.filter((e) => e.validity === 'draft');
  return (
    <>
      <div className="grid gap-4 md:grid-cols-2">
        <div data-testid={`compliance-${HEADLINE_PROFILE}`}>
          <h3 className="text-sm font-medium">Status: scs-0116 v1, full profile</h3>
          <p className="mt-1 flex flex-wrap items-center gap-2">
            <span data-testid="headline-status" data-status={headline.status}>
              <StatusTag status={headline.status} testId={`status-${HEADLINE_PROFILE}`} large />
            </span>
            <span className="text-xs text-slate-600">
              permissions and the approved Master-KEK attestation decide; presence is recommended. The basis of
              certificates.
            </span>
          </p>
          <Reasons e={headline} />
        </div>
        <div data-testid="compliance-official">
          <h3 className="text-sm font-medium">Official SCS verdict</h3>
          {compliance.official && deciding ? (
            <>
              <p className="mt-1 flex flex-wrap items-center gap-2">
                <StatusTag status={compliance.official.status} testId="official-status" large />
                <span className="text-sm">
                  SCS-compatible IaaS {compliance.official.version.replace(OFFICIAL_PREFIX, '')} (
                  {compliance.official.validity}), module scs-0116-v1
                </span>
              </p>
              <Reasons e={deciding} />
            </>
          ) : (
            <p className="mt-1 text-sm text-slate-600">
              No effective SCS version includes the key-manager module today.
            </p>
          )}
          <p className="mt-1 text-xs text-slate-600">
            As the SCS compliance monitor decides it: only scs-0116-permissions is in the version&apos;s main target.
            The version&apos;s other modules (flavors, images, volume types, …) are outside this dashboard.
          </p>
          {previews.map((e) => (
            <p key={e.standard} className="mt-1 text-xs text-slate-600" data-testid={`preview-${e.standard}`}>
              {e.standard.replace(OFFICIAL_PREFIX, '')} (draft, shown, never decides): <StatusTag status={e.status} />
            </p>
          ))}
          <p className="mt-1 text-xs text-slate-600" data-testid={`compliance-${DRAFT_PROFILE}`}>
            Earlier draft of the standard (everything SHOULD, informational):{' '}
            <StatusTag status={draft.status} testId={`status-${DRAFT_PROFILE}`} />
          </p>
        </div>
      </div>
      {/*
        On a narrow screen the table scrolls sideways: the box takes the focus so keyboard users can scroll it too.
      */}
      <div className="relative mt-3 overflow-x-auto" tabIndex={0} role="region" aria-label="Testcases of scs-0116 v1">
        <table className="min-w-full text-sm" data-testid="testcases">
          <caption className="sr-only">Testcases of scs-0116 v1 and the informational checks</caption>
          <thead className="text-left text-xs uppercase text-slate-600">
            <tr>
              {['Testcase', 'Requirement', 'Verdict', 'Checked', 'Valid until'].map((h, i) => (
                <th key={h} scope="col" className={i === 0 ? 'py-1 pr-3' : i < 4 ? 'pr-3' : undefined}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {headline.testcases.map((t) => (
              <tr key={t.id} data-testid="testcase-row" data-testcase={t.id}>
                <td className="py-1 pr-3 font-mono text-xs">{t.id}</td>
                <td className="pr-3">{requirementText(t)}</td>
                <td className="pr-3">
                  <StatusTag status={t.verdict} />
                  {t.expired && <span className="ml-1 text-xs text-slate-600">expired</span>}
                </td>
                <td className="pr-3">{formatDate(t.checkedAt)}</td>
                <td>{formatDate(t.expiresAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
