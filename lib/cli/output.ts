// Text output of km-check. stdout carries exactly one line per testcase in the SCS runner's
// format ("scs-0116-presence: PASS"), so the runner can read it; explanations, leftovers and
// warnings go to stderr, as the official script's log lines do. Everything printed comes from a
// report that the HTTP layer has already redacted.

import type { Evidence, RunReport } from '../checks/types';

export function formatLines(report: RunReport): string {
  return report.results.map((r) => `${r.id}: ${r.verdict}\n`).join('');
}

export function formatNotes(report: RunReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    const level = r.verdict === 'PASS' ? 'INFO' : r.verdict === 'FAIL' ? 'ERROR' : 'WARNING';
    lines.push(`${level}: ${r.id}: ${r.message}`);
  }
  if (report.roles.length > 0) lines.push(`INFO: token roles: ${report.roles.join(', ')}`);
  for (const l of report.leftovers) {
    lines.push(
      `${l.deleted || l.keptByPolicy ? 'INFO' : 'WARNING'}: leftover ${l.kind} ${l.name ?? ''} (${l.uuid}) ${l.deleted ? 'deleted by the sweep' : 'still in the cloud'}: ${l.reason}`,
    );
  }
  for (const w of report.warnings) lines.push(`WARNING: ${w}`);
  return lines.map((l) => `${l}\n`).join('');
}

export function formatExchange(e: Evidence): string {
  const outcome = e.status === null ? `failed: ${e.error ?? 'no response'}` : `${e.status}`;
  return `-> ${e.method} ${e.url} ${outcome} (${e.durationMs} ms)`;
}
