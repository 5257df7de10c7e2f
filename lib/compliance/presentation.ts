// The one word and colour table of the scale (PASS, FAIL, MISS, DNF for profiles; PASS, FAIL,
// ABORT, MISS for testcase rows; "no data" for history days without any), used by the pages, the
// public pages, the badges (app and front process), the exports and the notification texts. The
// words are the SCS compliance monitor's (its detail page sorts testcases into FAIL, MISSING, DNF
// and pass). A colour never stands alone: every use carries the word too, and the title/aria text
// says what it means.

import type { Status, TestcaseVerdict } from './verdict';

/** A history day before the cloud existed or before a testcase's first result. */
export const NO_DATA = 'NONE';
export type Shown = Status | TestcaseVerdict | typeof NO_DATA;

export interface Look {
  label: string;
  /** Fill of history cells and badges. */
  fill: string;
  /** Text on that fill (contrast >= 4.5:1). */
  ink: string;
  /** Tags on light backgrounds: background, text and ring colours (pages, public pages). */
  soft: string;
  softInk: string;
  ring: string;
  meaning: string;
}

const ABORTED = { fill: '#bfdbfe', ink: '#172554', soft: '#eff6ff', softInk: '#172554', ring: 'rgb(29 78 216 / 0.3)' };

export const LOOK: Record<Shown, Look> = {
  PASS: {
    label: 'PASS',
    fill: '#15803d',
    ink: '#ffffff',
    soft: '#dcfce7',
    softInk: '#14532d',
    ring: 'rgb(21 128 61 / 0.3)',
    meaning: 'every deciding result passes',
  },
  FAIL: {
    label: 'FAIL',
    fill: '#b91c1c',
    ink: '#ffffff',
    soft: '#fee2e2',
    softInk: '#7f1d1d',
    ring: 'rgb(185 28 28 / 0.3)',
    meaning: 'a deciding testcase fails',
  },
  MISS: {
    label: 'MISS',
    fill: '#facc15',
    ink: '#1f2937',
    soft: '#fef9c3',
    softInk: '#713f12',
    ring: 'rgb(161 98 7 / 0.4)',
    meaning: 'a deciding result is missing or expired',
  },
  DNF: {
    label: 'DNF',
    ...ABORTED,
    meaning: 'did not finish: nothing fails or is missing, but a deciding testcase ended ABORT (never counted as FAIL)',
  },
  ABORT: { label: 'ABORT', ...ABORTED, meaning: 'the testcase could not reach a verdict' },
  NONE: {
    label: 'no data',
    fill: '#e5e7eb',
    ink: '#1f2937',
    soft: '#f1f5f9',
    softInk: '#334155',
    ring: 'rgb(100 116 139 / 0.4)',
    meaning: 'no data: before the cloud existed or before the first result',
  },
};

export function look(v: string | null | undefined): Look {
  return LOOK[(v ?? NO_DATA) as Shown] ?? LOOK.MISS;
}

/** The CSS of a tag in this table's colours (the signed-in pages' StatusTag and the public pages). */
export function tagStyle(v: string | null | undefined): string {
  const l = look(v);
  return `background:${l.soft};color:${l.softInk};box-shadow:inset 0 0 0 1px ${l.ring}`;
}

/** How a screen reader says it. */
export function spoken(v: string | null | undefined): string {
  if (v === 'DNF') return 'DNF (did not finish)';
  if (v === 'MISS') return 'MISS (missing)';
  if (v === null || v === undefined || v === NO_DATA) return 'no data';
  return v;
}

/** "30d" -> "30 days", "18m" -> "18 months": the period filter's option text. */
export function periodLabel(p: string): string {
  return p.replace('d', ' days').replace('m', ' months');
}
