import Link from 'next/link';
import type { ManualResult } from '@/lib/attestations/result';
import type { AttestationState } from '@/lib/attestations';
import { Tag, tagHtml } from '@/components/ui/layout';
import { html, type Html } from '@/lib/html';
import { StatusTag } from '@/components/compliance/status';

/** A verdict in the one word and colour table (lib/compliance/presentation.ts). */
export function VerdictTag({ verdict }: { verdict: 'PASS' | 'FAIL' | 'ABORT' | 'MISS' }) {
  return (
    <span data-testid="verdict" data-verdict={verdict}>
      <StatusTag status={verdict} />
    </span>
  );
}

const STATE_TONE: Record<AttestationState, 'slate' | 'blue' | 'yellow' | 'green' | 'red'> = {
  draft: 'slate',
  submitted: 'blue',
  changes_requested: 'yellow',
  approved: 'green',
  rejected: 'red',
};
const STATE_LABEL: Record<AttestationState, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  rejected: 'Rejected',
};

export function StateTag({ state }: { state: AttestationState }) {
  return (
    <span data-testid="attestation-state" data-state={state}>
      <Tag tone={STATE_TONE[state]}>{STATE_LABEL[state]}</Tag>
    </span>
  );
}

/** StateTag as an HTML string (components/compliance/timeline-html.ts). */
export function stateTagHtml(state: AttestationState): Html {
  return html`<span data-testid="attestation-state" data-state="${state}">${tagHtml(STATE_LABEL[state], STATE_TONE[state])}</span>`;
}

/** The manual testcase key-manager-docs-check of a cloud, with why. */
export function ManualResultLine({ result, href }: { result: ManualResult; href?: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="manual-result">
      <code className="text-xs">{result.testcase}</code>
      <VerdictTag verdict={result.verdict} />
      <span className="text-slate-700">{result.reason}</span>
      {href && (
        <Link href={href} className="text-blue-800 underline-offset-2 hover:underline">
          Attestations
        </Link>
      )}
    </div>
  );
}
