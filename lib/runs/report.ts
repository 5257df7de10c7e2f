// Downloads of a run: our JSON (everything but evidence bodies' secrets, which were never stored),
// and a YAML report shaped like the output of SCS's scs-compliance-check.py, so the official
// compliance monitor could ingest it: spec (uuid, name, url), checked_at, reference_date,
// subject, and run.invocations holding the official testcases' results as 1 (PASS), 0 (ABORT),
// -1 (FAIL). Our informational checks appear only as the invocation's log lines.

import { stringify } from 'yaml';
import { OFFICIAL_TESTCASE_IDS } from '../checks';
import type { RunView } from './service';

export const SCS_IAAS_SCOPE = {
  uuid: '50393e6f-2ae1-4c5c-a62c-3b75f2abef3f',
  name: 'SCS-compatible IaaS',
  url: 'https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/scs-compatible-iaas.yaml',
} as const;

const VALUE = { PASS: 1, ABORT: 0, FAIL: -1 } as const;

export function jsonReport(run: RunView) {
  return {
    id: run.id,
    cloud: { slug: run.cloud.slug, name: run.cloud.name },
    status: run.status,
    trigger: run.trigger,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    roles: run.roles,
    error: run.error,
    report: run.report,
    results: run.results,
  };
}

export function scsReport(run: RunView) {
  const official = run.results.filter((r) => (OFFICIAL_TESTCASE_IDS as readonly string[]).includes(r.testcase));
  const results = Object.fromEntries(official.map((r) => [r.testcase, VALUE[r.verdict]]));
  const count = (level: string) =>
    run.results.filter((r) => (r.verdict === 'PASS' ? 'info' : r.verdict === 'FAIL' ? 'error' : 'critical') === level)
      .length;
  const checkedAt = run.finishedAt ?? run.startedAt ?? run.queuedAt;
  const invocationId = `${run.id}:openstack`;
  return {
    spec: { ...SCS_IAAS_SCOPE },
    checked_at: checkedAt.toISOString(),
    reference_date: checkedAt.toISOString().slice(0, 10),
    subject: run.cloud.slug,
    run: {
      uuid: run.id,
      argv: ['scs-km-conformance', run.cloud.slug, ...(run.testcases.length ? run.testcases : [])],
      assignment: { os_cloud: run.cloud.slug },
      sections: null,
      forced_version: null,
      forced_tests: run.testcases.length ? run.testcases : null,
      invocations: {
        [invocationId]: {
          id: invocationId,
          cmd: `scs-km-conformance run ${run.cloud.slug}`,
          result: Object.values(results).length ? Math.min(...Object.values(results)) : 0,
          results,
          rc: 0,
          stdout: run.results.map((r) => `${r.testcase}: ${r.verdict}`),
          stderr: run.results.map(
            (r) =>
              `${r.verdict === 'PASS' ? 'INFO' : r.verdict === 'FAIL' ? 'ERROR' : 'WARNING'}: ${r.testcase}: ${r.message}`,
          ),
          info: count('info'),
          warning: 0,
          error: count('error'),
          critical: count('critical'),
        },
      },
    },
  };
}

export function scsReportYaml(run: RunView): string {
  return stringify(scsReport(run), { lineWidth: 0 });
}
