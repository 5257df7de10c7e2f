// What one invocation of the key-manager testcases prints, as the official openstack_test.py prints it, so
// that km-check can stand in for it as a scope file's executable and our reports carry the invocation that
// scs-compliance-check.py would record:
//   stdout: one "<testcase>: PASS|FAIL|ABORT" line per testcase, in the order they were asked for;
//   stderr: log lines "LEVEL: text" (INFO, WARNING, ERROR; CRITICAL when the pre-flight refused);
//   rc:     0 when the testcases ran, 1 when the pre-flight refused (every testcase ABORT), as upstream.
// The report counts the lines that start with each level word, case-insensitively, over stderr and stdout
// (scs-compliance-check.py invoke_check_tool).

import type { Verdict } from './types';

export interface InvocationInput {
  results: Array<{ id: string; verdict: Verdict; message: string; details?: Record<string, unknown> | null }>;
  roles?: string[];
  leftovers?: Array<{
    kind: string;
    name?: string | null;
    uuid: string;
    deleted: boolean;
    keptByPolicy?: boolean;
    reason: string;
  }>;
  warnings?: string[];
}

export interface InvocationOutput {
  stdout: string[];
  stderr: string[];
  rc: number;
  /** The pre-flight refused: every testcase ABORT, rc 1. */
  refused: boolean;
}

export const LEVELS = ['info', 'warning', 'error', 'critical'] as const;
export type LevelCounts = Record<(typeof LEVELS)[number], number>;

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * The pre-flight's refusal, when every result carries it (lib/checks/preflight.ts marks its outcomes):
 * the CRITICAL lines openstack_test.py prints, in its order: its hint (none for elevated roles or a
 * connection failure), the pre-flight line, then the reason (upstream: the exception).
 */
function refusalOf(results: InvocationInput['results']): string[] | null {
  if (results.length === 0) return null;
  if (!results.every((r) => r.verdict === 'ABORT' && r.details?.preflight === true)) return null;
  const { message, details } = results[0]!;
  const hint = details?.config
    ? 'Please make sure that ~/.config/openstack/clouds.yaml exists and is correct!'
    : Array.isArray(details?.roles) && !details?.elevated
      ? 'Please make sure that your OpenStack user has role member.'
      : null;
  return [...(hint ? [hint] : []), 'Pre-flight checks failed. Reporting all testcases as ABORT.', oneLine(message)];
}

export function invocationOutput(input: InvocationInput): InvocationOutput {
  const stdout = input.results.map((r) => `${r.id}: ${r.verdict}`);
  const refusal = refusalOf(input.results);
  const stderr: string[] = [];
  if (refusal) return { stdout, stderr: refusal.map((l) => `CRITICAL: ${l}`), rc: 1, refused: true };
  for (const r of input.results) {
    const level = r.verdict === 'PASS' ? 'INFO' : r.verdict === 'FAIL' ? 'ERROR' : 'WARNING';
    stderr.push(`${level}: ${r.id}: ${oneLine(r.message)}`);
  }
  if (input.roles?.length) stderr.push(`INFO: token roles: ${input.roles.join(', ')}`);
  for (const l of input.leftovers ?? []) {
    stderr.push(
      oneLine(
        `${l.deleted || l.keptByPolicy ? 'INFO' : 'WARNING'}: leftover ${l.kind} ${l.name ?? ''} (${l.uuid}) ${l.deleted ? 'deleted by the sweep' : 'still in the cloud'}: ${l.reason}`,
      ),
    );
  }
  for (const w of input.warnings ?? []) stderr.push(`WARNING: ${oneLine(w)}`);
  return { stdout, stderr, rc: 0, refused: false };
}

/** The counts scs-compliance-check.py records: lines that start with each level word (any case). */
export function levelCounts(stdout: string[], stderr: string[]): LevelCounts {
  const lines = [...stderr, ...stdout].map((l) => l.toLowerCase());
  return Object.fromEntries(LEVELS.map((lv) => [lv, lines.filter((l) => l.startsWith(lv)).length])) as LevelCounts;
}
