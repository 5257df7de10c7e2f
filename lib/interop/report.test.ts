import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ResultView, RunView } from '../runs/service';
import { scsReport, scsReportYaml } from '../runs/report';
import { namedEndpoint } from './upload';

const at = new Date('2030-01-02T03:04:05.678Z');
const result = (testcase: string, verdict: ResultView['verdict'], message: string, details = {}): ResultView => ({
  testcase,
  verdict,
  message,
  durationMs: 1,
  checkedAt: at,
  details,
  evidence: null,
});

function run(results: ResultView[], over: Partial<RunView> = {}): RunView {
  return {
    id: '0b7a9a52-4c1f-4f6e-9d3e-2a1b3c4d5e6f',
    cloud: { id: 'c', slug: 'cloud-x', name: 'X', organizationId: 'o', scsSubject: 'gx-x' },
    endpoint: { authUrl: 'https://keystone.example', region: 'RegionOne' },
    counting: { counts: true, reason: null, cause: null },
    status: 'finished',
    trigger: 'api',
    source: 'dashboard',
    uploadId: null,
    signedBy: null,
    testcases: [],
    queuedAt: at,
    startedAt: at,
    finishedAt: at,
    heartbeatAt: null,
    cancelRequestedAt: null,
    namePrefix: null,
    roles: ['member', 'reader'],
    error: null,
    progress: null,
    report: { warnings: ['one\nwarning'] },
    results,
    ...over,
  };
}

describe('the report in the upstream format (scs-compliance-check.py create_report)', () => {
  const r = run([
    result('scs-0116-presence', 'PASS', 'ok'),
    result('scs-0116-permissions', 'FAIL', 'member got 403'),
    result('km-tls', 'ABORT', '?'),
  ]);

  it('has upstream keys in upstream order, the SCS subject and Python timestamps', () => {
    const rep = scsReport(r);
    expect(Object.keys(rep)).toEqual(['spec', 'checked_at', 'reference_date', 'subject', 'run']);
    expect(Object.keys(rep.run)).toEqual([
      'uuid',
      'argv',
      'assignment',
      'sections',
      'forced_version',
      'forced_tests',
      'invocations',
    ]);
    expect(rep.subject).toBe('gx-x');
    expect(rep.checked_at).toBe('2030-01-02 03:04:05.678000');
    expect(rep.reference_date).toBe('2030-01-02');
    expect(rep.run.uuid).toBe(r.id);
    expect(rep.run.forced_tests).toBeNull();
    expect(rep.spec.uuid).toBe('50393e6f-2ae1-4c5c-a62c-3b75f2abef3f');
  });

  it('one invocation: the official testcases only, 1/0/-1, stdout sorted as the checker passes them, level counts', () => {
    const [id, inv] = Object.entries(scsReport(r).run.invocations)[0]!;
    expect(Object.keys(inv)).toEqual([
      'id',
      'cmd',
      'results',
      'rc',
      'stdout',
      'stderr',
      'info',
      'warning',
      'error',
      'critical',
    ]);
    expect(inv.id).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(inv.results).toEqual({ 'scs-0116-permissions': -1, 'scs-0116-presence': 1 });
    expect(inv.cmd).toBe('km-check -c gx-x scs-0116-permissions scs-0116-presence');
    expect(inv.stdout).toEqual(['scs-0116-permissions: FAIL', 'scs-0116-presence: PASS']);
    expect(inv.stderr).toEqual([
      'ERROR: scs-0116-permissions: member got 403',
      'INFO: scs-0116-presence: ok',
      'INFO: token roles: member, reader',
      'WARNING: one warning',
    ]);
    expect([inv.rc, inv.info, inv.warning, inv.error, inv.critical]).toEqual([0, 2, 1, 1, 0]);
  });

  it('a pre-flight refusal is rc 1 with CRITICAL lines, as openstack_test.py', () => {
    const refused = run(
      ['scs-0116-presence', 'scs-0116-permissions'].map((t) =>
        result(t, 'ABORT', 'The credential lacks the member role (roles: reader).', {
          preflight: true,
          roles: ['reader'],
        }),
      ),
    );
    const inv = Object.values(scsReport(refused).run.invocations)[0]!;
    expect(inv.results).toEqual({ 'scs-0116-permissions': 0, 'scs-0116-presence': 0 });
    expect(inv.rc).toBe(1);
    expect(inv.stderr).toEqual([
      'CRITICAL: Please make sure that your OpenStack user has role member.',
      'CRITICAL: Pre-flight checks failed. Reporting all testcases as ABORT.',
      'CRITICAL: The credential lacks the member role (roles: reader).',
    ]);
    expect(inv.critical).toBe(3);
  });

  it('names the endpoint the run used in the assignment and argv, as a runner with such a subject mapping does', () => {
    const rep = scsReport(r);
    expect(rep.run.assignment).toEqual({ os_cloud: 'gx-x', auth_url: 'https://keystone.example', region: 'RegionOne' });
    expect(rep.run.argv).toEqual([
      'scs-compatible-iaas.yaml',
      '-s',
      'gx-x',
      '-a',
      'os_cloud=gx-x',
      '-a',
      'auth_url=https://keystone.example',
      '-a',
      'region=RegionOne',
    ]);
    const unrecorded = scsReport(run([], { endpoint: { authUrl: null, region: null } }));
    expect(unrecorded.run.assignment).toEqual({ os_cloud: 'gx-x' });
    // What an importing instance reads back (POST /reports): the same endpoint, normalized.
    expect(namedEndpoint(rep.run)).toEqual({ authUrl: 'https://keystone.example', region: 'RegionOne' });
    expect(
      namedEndpoint({ assignment: { os_auth_url: 'HTTPS://Keystone.Example:443/v3/', region_name: ' R2 ' } }),
    ).toEqual({ authUrl: 'https://keystone.example', region: 'R2' });
    expect(namedEndpoint({ assignment: { os_cloud: 'x' } })).toEqual({ authUrl: null, region: null });
    expect(namedEndpoint(null)).toEqual({ authUrl: null, region: null });
  });

  it('a run of some testcases records them as forced_tests (a pattern, as -t takes)', () => {
    const some = run([result('scs-0116-permissions', 'PASS', 'ok')], { testcases: ['scs-0116-permissions'] });
    const pattern = scsReport(some).run.forced_tests!;
    expect(new RegExp(pattern).test('scs-0116-permissions')).toBe(true);
    expect(new RegExp(pattern).test('scs-0116-presence')).toBe(false);
  });

  it('the YAML starts with --- and reads back to the same report; stable bytes for the same run', () => {
    const text = scsReportYaml(r);
    expect(text.startsWith('---\nspec:\n  uuid: 50393e6f-')).toBe(true);
    expect(text).toContain('\nchecked_at: 2030-01-02 03:04:05.678000\n');
    expect(text).toContain('\n  argv:\n  - scs-compatible-iaas.yaml\n');
    expect(parse(text)).toEqual(scsReport(r));
    expect(scsReportYaml(r)).toBe(text);
  });

  it('whole seconds print without a fraction, as Python does', () => {
    const t = new Date('2030-01-02T03:04:05Z');
    expect(scsReport(run([], { finishedAt: t })).checked_at).toBe('2030-01-02 03:04:05');
  });
});
