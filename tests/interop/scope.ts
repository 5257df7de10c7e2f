// Scope files for comparing km-check with openstack_test.py under the real scs-compliance-check.py.

import fs from 'node:fs';
import { parse, stringify } from 'yaml';

const KM = ['scs-0116-presence', 'scs-0116-permissions'];

/**
 * A small scope in upstream's format whose one script runs both key-manager testcases (permissions in
 * `main`, presence `recommended`): upstream's own scope runs only scs-0116-permissions at this commit.
 */
export function keyManagerScope(executable: string): string {
  return stringify({
    name: 'SCS key manager (interop comparison)',
    uuid: '50393e6f-2ae1-4c5c-a62c-3b75f2abef3f',
    url: 'https://example.invalid/scs-km-interop.yaml',
    variables: ['os_cloud'],
    scripts: [
      {
        executable,
        args: '-c {os_cloud} {testcases}',
        testcases: [
          { id: 'scs-0116-presence', description: 'Key manager service is discoverable.' },
          { id: 'scs-0116-permissions', description: 'Key manager (if present) is usable with member role.' },
        ],
      },
    ],
    modules: [
      {
        id: 'scs-0116-v1',
        name: 'Key manager',
        url: 'https://docs.scs.community/standards/scs-0116-v1-key-manager-standard',
        targets: { main: ['scs-0116-permissions'], recommended: ['scs-0116-presence'] },
      },
    ],
    timeline: [{ date: '2024-01-01', versions: { v1: 'effective' } }],
    versions: [{ version: 'v1', stabilized_at: '2024-01-01', include: ['scs-0116-v1'] }],
  });
}

/**
 * Upstream's own scope file with its key-manager testcases moved to a second script whose executable is
 * km-check; every other testcase stays with openstack_test.py (absolute: the copy lives elsewhere).
 */
export function upstreamScopeWithKmCheck(upstreamScope: string, openstackTest: string, kmCheck: string): string {
  const spec = parse(fs.readFileSync(upstreamScope, 'utf8')) as {
    scripts: Array<{ executable: string; args: string; testcases: Array<{ id: string }> }>;
  };
  const [main, ...rest] = spec.scripts;
  const km = main!.testcases.filter((t) => KM.includes(t.id));
  if (km.length !== KM.length) throw new Error('upstream scope: the key-manager testcases moved');
  spec.scripts = [
    { ...main!, executable: openstackTest, testcases: main!.testcases.filter((t) => !KM.includes(t.id)) },
    { executable: kmCheck, args: main!.args, testcases: km },
    ...rest,
  ];
  return stringify(spec);
}

/** The same scope file with only openstack_test.py made absolute (the baseline of the comparison). */
export function upstreamScopeAbsolute(upstreamScope: string, openstackTest: string): string {
  const spec = parse(fs.readFileSync(upstreamScope, 'utf8')) as { scripts: Array<{ executable: string }> };
  spec.scripts[0]!.executable = openstackTest;
  return stringify(spec);
}
