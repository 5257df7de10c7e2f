// The public certificate status pages (SCS-0004 §4) as complete HTML documents: no JavaScript, no
// client runtime, one inline stylesheet. They show what the React pages showed before (same texts,
// same data-testids); the data comes from lib/compliance/public.ts and is rendered here only.

import fs from 'node:fs';
import path from 'node:path';
import { html, raw, type Html } from '../html';
import type { CloudCompliance } from './index';
import { PERIODS, type History, type Period } from './history';
import { historyStripsHtml, legendHtml, requirementText } from './history-html';
import { DRAFT_PROFILE, HEADLINE_PROFILE, OFFICIAL_PREFIX } from './profiles';
import { statusOf } from './index';
import { look, NO_DATA, periodLabel, spoken, tagStyle } from './presentation';
import { publicReasons } from './public';
import type { Evaluation } from './verdict';
import type { RevocationEntry } from './certificates';
import { config } from '../config';

const SITE = 'SCS Key-Manager Conformance';
const DESCRIPTION = 'Conformance of OpenStack clouds to the SCS Key-Manager Standard (scs-0116).';

let stylesheet: string | undefined;

/**
 * history-strips.css (shared with the signed-in pages through app/globals.css) and public.css, read
 * from the project (the app runs with the project as its working directory, scripts/start.ts) once
 * per process, or on every request under `next dev` so that edits show. Comments and indentation
 * are for the source, not for every visitor.
 */
export function publicStylesheet(): string {
  if (stylesheet && config().NODE_ENV === 'production') return stylesheet;
  stylesheet = ['history-strips.css', 'public.css']
    .map((f) => fs.readFileSync(path.join(process.cwd(), 'lib', 'compliance', f), 'utf8'))
    .join('\n')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\n\s*/g, '\n')
    .trim();
  return stylesheet;
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function minute(d: Date | null | undefined): string {
  return d ? `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—';
}

/** A status or verdict: colour AND its text label (never colour alone), as StatusTag draws it. */
export function statusTagHtml(status: string | null, testId?: string): Html {
  const l = look(status);
  return html`<span class="tag" style="${tagStyle(status)}"${testId ? html` data-testid="${testId}"` : ''} data-status="${status ?? NO_DATA}" title="${l.meaning}"><span aria-hidden="true">${l.label}</span><span class="sr-only">${spoken(status)}</span></span>`;
}

/** The Atom feeds a page offers (lib/interop/feeds.ts), for feed readers to find. */
type Feed = { href: string; title: string };

const ALL_FEED: Feed = { href: '/status/feed.atom', title: 'Status changes of all publicly listed clouds' };

function documentHtml(title: string, body: Html, feeds: Feed[] = []): Html {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${SITE}</title>
<meta name="description" content="${DESCRIPTION}">
${feeds.map(
  (f) => html`<link rel="alternate" type="application/atom+xml" title="${f.title}" href="${f.href}">
`,
)}<style>${raw(publicStylesheet())}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><div class="wrap">
<a class="brand" href="/status">SCS Key-Manager certificate status</a>
<nav aria-label="Public"><a href="/status">Clouds</a><a href="/certificates/revoked">Revocation list</a><a href="/signin">Sign in</a></nav>
</div></header>
<main id="main" class="wrap">
${body}
</main>
</body>
</html>
`;
}

/** /status: the publicly listed clouds with their status and certificate. */
/** What the list of public clouds shows of each (the whole evaluations of thousands are not kept for it). */
export type StatusListRow = Pick<CloudCompliance, 'cloud' | 'status' | 'official'> & {
  certificate: Pick<CloudCompliance['certificate'], 'state' | 'current'>;
};

export const statusListRow = (c: CloudCompliance): StatusListRow => ({
  cloud: c.cloud,
  status: c.status,
  official: c.official,
  certificate: { state: c.certificate.state, current: c.certificate.current },
});

export function statusListHtml(clouds: StatusListRow[]): Html {
  const rows = clouds.map(
    (c) => html`<tr data-testid="public-row" data-cloud="${c.cloud.slug}">
<td><a href="/status/${c.cloud.slug}">${c.cloud.name}</a></td>
<td>${c.cloud.organization.name}</td>
<td>${statusTagHtml(c.status)}</td>
<td>${c.official ? html`${statusTagHtml(c.official.status)} <span class="small muted">${c.official.version.replace(OFFICIAL_PREFIX, '')}</span>` : '—'}</td>
<td>${c.certificate.current ? `${c.certificate.state}, until ${day(c.certificate.current.validUntil)}` : 'none'}</td>
</tr>`,
  );
  return documentHtml(
    'Certificate status',
    html`<h1>Certificate status: SCS Key Manager (scs-0116)</h1>
<p class="lead">Publicly listed clouds: their status in this dashboard's full profile scs-0116 v1 (the basis of certificates), the official SCS verdict for the key-manager module, and their certificates.</p>
<div class="legend">${legendHtml()}</div>
${
  clouds.length === 0
    ? html`<p class="empty">No cloud is publicly listed yet.</p>`
    : html`<div class="table-wrap"><table class="list">
<caption class="sr-only">Publicly listed clouds</caption>
<thead><tr><th scope="col">Cloud</th><th scope="col">Operator</th><th scope="col">scs-0116 v1</th><th scope="col">SCS official</th><th scope="col">Certificate</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
}
<p class="small"><a href="/status/feed.atom">Status changes as a feed (Atom)</a></p>`,
    [ALL_FEED],
  );
}

export interface StatusPageData {
  cloud: CloudCompliance;
  history: History;
  period: Period;
  /** Origin for the absolute URLs of the embed snippet and the QR code's text (public-origin.ts). */
  base: string;
}

function reasonList(e: Evaluation, show: boolean): Html {
  const { reasons, warnings } = publicReasons(e, show);
  return html`${reasons.length > 0 && html`<ul class="reasons">${reasons.map((r) => html`<li>${r}</li>`)}</ul>`}
${warnings.length > 0 && html`<ul class="reasons">${warnings.map((r) => html`<li>Warning: ${r}</li>`)}</ul>`}`;
}

/** The current verdicts: this dashboard's full profile (the headline), the official SCS verdict, the draft. */
function currentStatus(c: CloudCompliance): Html {
  const show = c.cloud.publicRunMessages;
  const headline = statusOf(c, HEADLINE_PROFILE);
  const draft = statusOf(c, DRAFT_PROFILE);
  const deciding = c.official ? c.evaluations.find((e) => e.standard === c.official!.version) : undefined;
  return html`<section class="card">
<h2>Current status</h2>
<div class="evaluation" data-testid="public-${HEADLINE_PROFILE}">
<p><span class="name">SCS Key Manager Standard v1, full profile</span> ${statusTagHtml(headline.status, `public-status-${HEADLINE_PROFILE}`)}</p>
<p class="small muted">scs-0116-permissions and the approved Master-KEK attestation decide, scs-0116-presence is recommended. The basis of certificates.</p>
${reasonList(headline, show)}
</div>
${
  c.official && deciding
    ? html`<div class="evaluation" data-testid="public-official">
<p><span class="name">Official SCS verdict</span> ${statusTagHtml(c.official.status, 'public-status-official')} <span class="small muted">SCS-compatible IaaS ${c.official.version.replace(OFFICIAL_PREFIX, '')} (${c.official.validity}), module scs-0116-v1</span></p>
<p class="small muted">As the SCS compliance monitor decides it: only scs-0116-permissions is in the version's main target. The version's other modules are outside this dashboard.</p>
${reasonList(deciding, show)}
</div>`
    : html`<p class="small muted">No effective SCS version includes the key-manager module today.</p>`
}
<p class="small muted" data-testid="public-${DRAFT_PROFILE}">Earlier draft of the standard (everything SHOULD, informational): ${statusTagHtml(draft.status)}</p>
</section>`;
}

/** The latest counted result per official testcase (and the manual one), with its time. */
function latestResults(c: CloudCompliance): Html {
  const show = c.cloud.publicRunMessages;
  const headline = statusOf(c, HEADLINE_PROFILE);
  const official = c.official ? c.evaluations.find((e) => e.standard === c.official!.version) : undefined;
  const rows = headline.testcases
    .filter((t) => t.requirement !== 'informational')
    .map((t) => {
      const target = official?.testcases.find((x) => x.id === t.id)?.requirement;
      const message = show || t.kind === 'manual' ? t.message : '';
      return html`<li data-testid="public-latest-row" data-testcase="${t.id}">
<p><span class="mono">${t.id}</span> ${statusTagHtml(t.verdict)}${t.expired ? html` <span class="small muted">expired</span>` : ''}</p>
<p class="small muted">${requirementText(t.requirement, t.kind)} here · ${target ? `${target} in SCS ${c.official!.version.replace(OFFICIAL_PREFIX, '')}` : 'in no SCS version'} · checked ${minute(t.checkedAt)} · valid until ${minute(t.expiresAt)}</p>
${message && html`<p class="message small">${message}</p>`}
</li>`;
    });
  return html`<section class="card">
<h2>Latest result per testcase</h2>
<ul class="latest" data-testid="public-latest">${rows}</ul>
${!show && html`<p class="small muted">Result messages of this cloud are not public.</p>`}
</section>`;
}

/** The status changes in the period: where a compliance row's verdict changes from one day to the next. */
function statusChanges(history: History): Html {
  const items = history.compliance
    .flatMap((row) =>
      row.segments
        .slice(1)
        .map((seg, i) => ({ day: seg.from, name: row.name, from: row.segments[i].verdict, to: seg.verdict })),
    )
    .filter((x) => x.from !== null)
    .sort((a, b) => b.day.localeCompare(a.day) || a.name.localeCompare(b.name));
  return html`<section class="card">
<h2>Status changes</h2>
${
  items.length === 0
    ? html`<p class="small muted" data-testid="public-changes">No status changed between ${history.from} and ${history.to}.</p>`
    : html`<ul class="changes" data-testid="public-changes">${items.map(
        (x) =>
          html`<li><span class="when">${x.day}</span> <span>${x.name}</span> ${statusTagHtml(x.from)} <span aria-hidden="true">→</span><span class="sr-only">to</span> ${statusTagHtml(x.to)}</li>`,
      )}</ul>`
}
</section>`;
}

function certificate(c: CloudCompliance, base: string): Html {
  const cert = c.certificate;
  const current = cert.current;
  const slug = c.cloud.slug;
  const attestation =
    c.manual.verdict === 'PASS' && c.manual.expiresAt
      ? `approved until ${day(c.manual.expiresAt)}`
      : c.manual.verdict === 'FAIL'
        ? 'rejected'
        : 'none valid';
  const embed = `<a href="${base}/status/${slug}"><img src="${base}/badge/${slug}.svg" alt="SCS Key Manager status"></a>`;
  return html`<section class="card">
<h2>Certificate</h2>
<dl class="facts" data-testid="public-certificate">
<dt>State</dt><dd>${current ? cert.state : 'none granted'}</dd>
${current && html`<dt>Granted</dt><dd>${day(current.grantedAt)}</dd><dt>Valid until</dt><dd>${day(current.validUntil)}</dd>`}
${current?.revokedAt && html`<dt>Revoked</dt><dd>${day(current.revokedAt)}: ${current.revokedReason}</dd>`}
<dt>Attestation</dt><dd data-testid="public-attestation">${attestation}</dd>
</dl>
<div class="badges">
<img src="/badge/${slug}.svg" alt="Status badge: ${c.status}" height="20">
<img src="/status/${slug}/qr.svg" alt="QR code of ${base}/status/${slug}" width="96" height="96">
</div>
<p class="qr-links small muted">QR code: <a href="/status/${slug}/qr.svg">SVG</a> · <a href="/status/${slug}/qr.png">PNG</a></p>
<label class="embed small muted">Embed the badge
<textarea class="mono small" readonly rows="3">${embed}</textarea>
</label>
</section>`;
}

function periodFilter(basePath: string, period: Period): Html {
  return html`<form class="period" method="get" action="${basePath}" aria-label="History period">
<label>Period
<select name="period">${Object.keys(PERIODS).map((p) => html`<option value="${p}"${p === period && raw(' selected')}>${periodLabel(p)}</option>`)}</select>
</label>
<button type="submit">Show</button>
</form>`;
}

/**
 * /status/{slug}: the current verdicts, the latest result per testcase, the certificate with badge,
 * QR code and embed snippet, the history strips and the status changes of the period. Result
 * messages appear only where staff made them public for the cloud.
 */
export function statusPageHtml({ cloud: c, history, period, base }: StatusPageData): Html {
  const shown = c.cloud.publicRunMessages ? history : withoutNotes(history);
  return documentHtml(
    'Certificate status page',
    html`<h1>${c.cloud.name}</h1>
<p class="lead">Operated by ${c.cloud.organization.name} · region ${c.cloud.region}</p>
<div class="cards">
${currentStatus(c)}
${certificate(c, base)}
</div>
${latestResults(c)}
<section class="card">
<div class="card-head"><h2>History</h2>${periodFilter(`/status/${c.cloud.slug}`, period)}</div>
${historyStripsHtml(shown, 'public-history')}
</section>
${statusChanges(history)}
<p class="small"><a href="/status/${c.cloud.slug}/feed.atom">Status changes of ${c.cloud.name} as a feed (Atom)</a></p>`,
    [{ href: `/status/${c.cloud.slug}/feed.atom`, title: `${c.cloud.name}: status changes` }, ALL_FEED],
  );
}

/** The history without the results' messages in the days' notes (for clouds whose messages are not public). */
function withoutNotes(h: History): History {
  return {
    ...h,
    strips: h.strips.map((s) => ({
      ...s,
      cells:
        s.kind === 'automated'
          ? s.cells.map((cell) => ({ ...cell, note: cell.note.replace(/ — last: [\s\S]*$/, '') }))
          : s.cells,
    })),
  };
}

/** A private, archived or unknown cloud: indistinguishable from one that does not exist. */
/** /certificates/revoked (SCS-0004 §7): names only of publicly listed clouds (revocationList decides). */
export function revocationListHtml(items: RevocationEntry[]): Html {
  const rows = items.map(
    (r) => html`<tr data-testid="revoked-row">
<td>${r.cloud ? html`${r.cloud.name} <span class="muted">${r.cloud.slug}</span>` : html`unlisted cloud <span class="muted mono">${r.id}</span>`}</td>
<td>${r.organization ?? '—'}</td>
<td>${r.standard}</td>
<td>${day(r.grantedAt)}</td>
<td>${day(r.revokedAt)}</td>
<td>${r.reason}</td>
</tr>`,
  );
  return documentHtml(
    'Certificate revocation list',
    html`<h1>Certificate revocation list</h1>
<p class="lead">Certificates of conformance to the SCS Key Manager Standard that were revoked. Also as <a href="/api/v1/certificates/revoked">JSON</a>.</p>
${
  items.length === 0
    ? html`<p class="empty">No certificate has been revoked.</p>`
    : html`<div class="table-wrap"><table class="list">
<caption class="sr-only">Revoked certificates</caption>
<thead><tr><th scope="col">Cloud</th><th scope="col">Operator</th><th scope="col">Standard</th><th scope="col">Granted</th><th scope="col">Revoked</th><th scope="col">Reason</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
}`,
  );
}

export function notFoundHtml(): Html {
  return documentHtml(
    'Not found',
    html`<div class="plain">
<h1>Not found</h1>
<p>There is nothing here, or you may not see it.</p>
<a href="/status">Back to the certificate status</a>
</div>`,
  );
}

/** An unexpected error (logged by the caller without its data). */
export function errorHtml(): Html {
  return documentHtml(
    'Error',
    html`<div class="plain">
<h1>Something went wrong</h1>
<p>The error has been logged. Try again, or come back later.</p>
<a href="/status">Back to the certificate status</a>
</div>`,
  );
}
