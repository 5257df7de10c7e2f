// Downloads of a run: our JSON (everything but evidence bodies' secrets, which were never stored), and
// the report in the current upstream format, as scs-compliance-check.py writes it (yaml.safe_dump with
// explicit start, keys in its order): spec (uuid, name, url), checked_at, reference_date, subject, and run
// with uuid, argv, assignment, sections, forced_version, forced_tests and invocations. Our run is one
// invocation of the key-manager testcases, as km-check would have printed it as the scope file's
// executable (lib/checks/invocation.ts): results 1 PASS, 0 ABORT, -1 FAIL, rc, stdout, stderr and the
// counts of lines starting with each level word. The real compliance monitor takes it (npm run test:interop).

import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { OFFICIAL_TESTCASE_IDS } from '../checks';
import { scope } from '../compliance/scope';
import { invocationOutput, levelCounts } from '../checks/invocation';
import type { RunView } from './service';

/** The scope a report is of: the shipped upstream scope file's uuid, name and url (lib/compliance/scope). */
export function reportSpec(): { uuid: string; name: string; url: string } {
  const s = scope();
  return { uuid: s.uuid, name: s.name, url: s.url };
}

const VALUE = { PASS: 1, ABORT: 0, FAIL: -1 } as const;

export function jsonReport(run: RunView) {
  return {
    id: run.id,
    cloud: { slug: run.cloud.slug, name: run.cloud.name, scsSubject: run.cloud.scsSubject ?? run.cloud.slug },
    status: run.status,
    trigger: run.trigger,
    source: run.source,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    roles: run.roles,
    error: run.error,
    report: run.report,
    results: run.results,
  };
}

/** Python's datetime.isoformat(' ') of a naive UTC instant: microseconds only when there are any. */
function pythonTimestamp(d: Date): string {
  const iso = d.toISOString(); // 2026-12-03T11:31:19.213Z
  const ms = d.getUTCMilliseconds();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms ? `.${String(ms).padStart(3, '0')}000` : ''}`;
}

/** A stable UUID for the run's one invocation (upstream: uuid4 per invocation). */
function invocationUuid(runId: string): string {
  const h = createHash('sha256').update(`scs-km-conformance invocation ${runId}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface ScsReport {
  spec: { uuid: string; name: string; url: string };
  checked_at: string;
  reference_date: string;
  subject: string;
  run: {
    uuid: string;
    argv: string[];
    /** The -a variables: os_cloud, and the endpoint the run's credential named (auth_url, region) when recorded. */
    assignment: Record<string, string>;
    sections: null;
    forced_version: null;
    forced_tests: string | null;
    invocations: Record<
      string,
      {
        id: string;
        cmd: string;
        results: Record<string, number>;
        rc: number;
        stdout: string[];
        stderr: string[];
        info: number;
        warning: number;
        error: number;
        critical: number;
      }
    >;
  };
}

export function scsReport(run: RunView): ScsReport {
  const subject = run.cloud.scsSubject ?? run.cloud.slug;
  // The key-manager testcases of the scope this run has results for, sorted as the checker passes them.
  const official = run.results
    .filter((r) => (OFFICIAL_TESTCASE_IDS as readonly string[]).includes(r.testcase))
    .sort((a, b) => a.testcase.localeCompare(b.testcase));
  const ids = official.map((r) => r.testcase);
  const out = invocationOutput({
    results: official.map((r) => ({ id: r.testcase, verdict: r.verdict, message: r.message, details: r.details })),
    roles: run.roles,
    leftovers: (run.report?.leftovers as Parameters<typeof invocationOutput>[0]['leftovers']) ?? [],
    warnings: (run.report?.warnings as string[] | undefined) ?? [],
  });
  const checkedAt = run.finishedAt ?? run.startedAt ?? run.queuedAt;
  const id = invocationUuid(run.id);
  const subset = run.testcases.length > 0 && OFFICIAL_TESTCASE_IDS.some((t) => !run.testcases.includes(t));
  // As a runner whose subject mapping names the endpoint writes it, so whoever imports the report
  // (POST /reports of another instance) can tell whether it counts for a pinned cloud.
  const assignment: Record<string, string> = {
    os_cloud: subject,
    ...(run.endpoint.authUrl ? { auth_url: run.endpoint.authUrl } : {}),
    ...(run.endpoint.authUrl && run.endpoint.region ? { region: run.endpoint.region } : {}),
  };
  return {
    spec: reportSpec(),
    checked_at: pythonTimestamp(checkedAt),
    reference_date: checkedAt.toISOString().slice(0, 10),
    subject,
    run: {
      uuid: run.id,
      argv: [
        'scs-compatible-iaas.yaml',
        '-s',
        subject,
        ...Object.entries(assignment).flatMap(([k, v]) => ['-a', `${k}=${v}`]),
      ],
      assignment,
      sections: null,
      forced_version: null,
      forced_tests: subset ? `^(${ids.join('|')})$` : null,
      invocations: {
        [id]: {
          id,
          cmd: `km-check -c ${subject} ${ids.join(' ')}`.trim(),
          results: Object.fromEntries(official.map((r) => [r.testcase, VALUE[r.verdict]])),
          rc: out.rc,
          stdout: out.stdout,
          stderr: out.stderr,
          ...levelCounts(out.stdout, out.stderr),
        },
      },
    },
  };
}

/** The YAML text, as yaml.safe_dump(report, explicit_start=True, sort_keys=False) lays it out. */
export function scsReportYaml(run: RunView): string {
  return `---\n${stringify(scsReport(run), { lineWidth: 0, indentSeq: false, singleQuote: true })}`;
}
