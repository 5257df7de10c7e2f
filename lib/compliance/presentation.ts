// Colours and words, as SCS's compliance monitor shows them: red FAIL, yellow MISSING, green with an
// asterisk for an inconclusive (ABORT) state, green PASS. A colour never stands alone: every use
// carries the text label too (and the title/aria text says what it means).

import type { ComplianceStatus, TestcaseVerdict } from './verdict';

export type Shown = ComplianceStatus | TestcaseVerdict;

export interface Look {
  label: string;
  /** Fill of history cells and badges. */
  fill: string;
  /** Text on that fill (contrast >= 4.5:1). */
  ink: string;
  /** Tailwind classes for tags on light backgrounds. */
  tag: string;
  meaning: string;
}

export const LOOK: Record<Shown, Look> = {
  PASS: {
    label: 'PASS',
    fill: '#15803d',
    ink: '#ffffff',
    tag: 'bg-green-100 text-green-900 ring-green-700/30',
    meaning: 'all required results pass',
  },
  FAIL: {
    label: 'FAIL',
    fill: '#b91c1c',
    ink: '#ffffff',
    tag: 'bg-red-100 text-red-900 ring-red-700/30',
    meaning: 'a required testcase fails',
  },
  MISSING: {
    label: 'MISSING',
    fill: '#facc15',
    ink: '#1f2937',
    tag: 'bg-yellow-100 text-yellow-900 ring-yellow-700/40',
    meaning: 'a required result is missing or expired',
  },
  INCONCLUSIVE: {
    label: 'PASS*',
    fill: '#4ade80',
    ink: '#052e16',
    tag: 'bg-green-50 text-green-900 ring-green-600/40',
    meaning: 'inconclusive: nothing fails, but a testcase ended ABORT',
  },
  ABORT: {
    label: 'ABORT*',
    fill: '#4ade80',
    ink: '#052e16',
    tag: 'bg-green-50 text-green-900 ring-green-600/40',
    meaning: 'no verdict could be reached (ABORT)',
  },
};

export function look(v: string): Look {
  return LOOK[v as Shown] ?? LOOK.MISSING;
}

/** "PASS*" is read aloud as words, not as a star. */
export function spoken(v: string): string {
  return v === 'INCONCLUSIVE' ? 'inconclusive (ABORT)' : v === 'ABORT' ? 'ABORT (inconclusive)' : v;
}

/** "30d" -> "30 days", "18m" -> "18 months": the period filter's option text. */
export function periodLabel(p: string): string {
  return p.replace('d', ' days').replace('m', ' months');
}
