// The history strips and the legend as HTML: the one implementation behind the signed-in cloud
// page (components/compliance/status.tsx HistoryStrips) and the public status page, which ships no
// JavaScript. Their styles are lib/compliance/history-strips.css, imported by app/globals.css and
// inlined by the public pages, so the class names below are defined once for both.

import { html, type Html } from '../html';
import type { History, Segment } from './history';
import { look, NO_DATA, spoken } from './presentation';

const LEGEND = ['PASS', 'DNF', 'MISS', 'FAIL', 'ABORT', NO_DATA] as const;

export function legendHtml(): Html {
  return html`<ul class="hs-legend" aria-label="Legend">${LEGEND.map((s) => html`<li><span class="hs-swatch" style="background:${look(s).fill}" aria-hidden="true"></span><strong>${look(s).label}</strong> ${look(s).meaning}</li>`)}</ul>`;
}

function range(from: string, to: string, days: number): string {
  return from === to ? from : `${from} to ${to} (${days} days)`;
}

/**
 * One row of history: one cell per day, drawn as blocks of consecutive days with the same verdict
 * (a block's width is its number of days). Each block is one keyboard stop whose text shows on hover
 * and on focus (CSS only, no client JavaScript). Per-day counts and notes are in the history export.
 * Drawing blocks instead of 548 elements keeps an 18-month page small (and fast).
 * notes: each day's note by day; a block shows the note of its first day.
 */
function row(label: string, sub: string, segments: Segment[], notes?: Map<string, string>): Html {
  // A day without data is drawn in the neutral "no data" colour and said as such.
  const total = segments.reduce((n, s) => n + s.days, 0);
  let before = 0;
  const blocks = segments.map((s) => {
    const note = notes?.get(s.from);
    const text = `${look(s.verdict).label} ${range(s.from, s.to, s.days)}${note ? ` — ${note}` : ''}`;
    // A block in the strip's right half opens its tooltip leftwards, so it stays on a narrow screen.
    const end = before * 2 > total;
    before += s.days;
    return html`<span role="listitem" tabindex="0" class="hs-seg${end ? ' hs-end' : ''}" style="flex-grow:${s.days};background:${look(s.verdict).fill}" aria-label="${spoken(s.verdict)}, ${range(s.from, s.to, s.days)}" title="${text}"><span role="tooltip" class="hs-tip">${label}: ${text}</span></span>`;
  });
  return html`<div class="hs-row"><div class="hs-label"><span class="hs-id">${label}</span><span class="hs-sub">${sub}</span></div><div class="hs-strip" role="list" aria-label="History of ${label}" data-days="${total}">${blocks}</div></div>`;
}

/** "41 of 41 days with data PASS": days without data are not counted. */
export function shareText(pass: number, withData: number): string {
  return withData === 0
    ? 'no data in this period'
    : `${pass} of ${withData} day${withData === 1 ? '' : 's'} with data PASS`;
}

export function requirementText(requirement: string, kind: string): string {
  return kind === 'manual' ? `${requirement} (manual)` : requirement;
}

/** The strips of a cloud's history: compliance per version, then one per testcase, then the legend. */
export function historyStripsHtml(history: History, testId?: string): Html {
  return html`<div class="hs"${testId ? html` data-testid="${testId}"` : ''}>
<p class="hs-note">${history.from} to ${history.to}, one cell per day (UTC). Tab through the strips: each stop is a stretch of days with the same verdict; per-day details are in the CSV and JSON export.</p>
${history.compliance.map((c) => row(c.name, shareText(c.share.PASS, c.daysWithData), c.segments))}
${history.strips.map((s) => row(s.testcase, requirementText(s.requirement, s.kind), s.segments, new Map(s.cells.map((c) => [c.day, c.note]))))}
${legendHtml()}
</div>`;
}
