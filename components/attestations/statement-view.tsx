import {
  answerLabel,
  CLAUSES,
  FIELDS,
  QUESTIONS,
  type Statement,
  type StatementField,
} from '@/lib/attestations/statement';
import type { Severity } from '@/lib/attestations/mismatch';

/** The clause a field answers (the "other" fields share their parent's clause). */
export function clauseOf(field: StatementField): string {
  const map: Partial<Record<StatementField, keyof typeof CLAUSES>> = {
    implementationVersion: 'implementation',
    otherProduct: 'implementation',
    secretStoreOther: 'secretStore',
    contactName: 'contact',
    contactEmail: 'contact',
  };
  return CLAUSES[(map[field] ?? field) as keyof typeof CLAUSES];
}

const HIGHLIGHT: Record<Severity, string> = {
  mismatch: 'bg-red-50 ring-2 ring-inset ring-red-400',
  warning: 'bg-yellow-50 ring-1 ring-inset ring-yellow-400',
  info: 'bg-blue-50',
};

/** The statement read-only, each answer beside its clause; answers are text (never HTML). */
export function StatementView({
  statement,
  highlights = {},
  showClauses = true,
}: {
  statement: Statement;
  highlights?: Partial<Record<StatementField, Severity>>;
  showClauses?: boolean;
}) {
  const shown = FIELDS.filter((f) => statement[f] !== undefined || !['otherProduct', 'secretStoreOther'].includes(f));
  return (
    <dl className="divide-y divide-slate-100 text-sm" data-testid="statement-view">
      {shown.map((f) => {
        const sev = highlights[f];
        return (
          <div
            key={f}
            className={`grid gap-1 px-2 py-2 ${showClauses ? 'md:grid-cols-2 md:gap-x-4' : ''} ${sev ? HIGHLIGHT[sev] : ''}`}
            data-field={f}
            data-highlight={sev}
          >
            <dt className="font-medium text-slate-800 md:col-start-1">
              {QUESTIONS[f]}
              {sev === 'mismatch' && <span className="ml-2 text-xs font-semibold text-red-800">mismatch</span>}
              {sev === 'warning' && <span className="ml-2 text-xs font-semibold text-yellow-900">check</span>}
            </dt>
            <dd className="mt-0.5 whitespace-pre-wrap break-words text-slate-900 md:col-start-1">
              {answerLabel(f, statement[f])}
            </dd>
            {showClauses && (
              <dd className="md:col-start-2 md:row-span-2 md:row-start-1">
                <blockquote className="border-l-2 border-slate-300 pl-2 text-xs italic text-slate-600">
                  <span className="sr-only">scs-0116 clause: </span>
                  {clauseOf(f)}
                </blockquote>
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}
