import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenStackSimulator } from '../../lab/simulator';
import { main, type CliIo } from './main';

let sim: OpenStackSimulator;
let dir: string;

beforeAll(async () => {
  sim = await new OpenStackSimulator().start();
  dir = mkdtempSync(path.join(tmpdir(), 'km-cli-'));
  const pw = (u: { name: string; password: string; projectId: string }, region = 'RegionOne') => ({
    auth: {
      auth_url: `${sim.keystoneUrl}/v3`,
      username: u.name,
      password: u.password,
      user_domain_name: 'Default',
      project_id: u.projectId,
    },
    region_name: region,
  });
  const clouds = {
    clouds: {
      sim: pw(sim.users.member),
      'sim-nokm': pw(sim.users.member, 'RegionNoKM'),
      'sim-reader': pw(sim.users.reader),
      'sim-other': pw(sim.users.other),
      'sim-appcred': {
        auth_type: 'v3applicationcredential',
        auth: {
          auth_url: `${sim.keystoneUrl}/v3`,
          application_credential_id: sim.appCredential.id,
          application_credential_secret: sim.appCredential.secret,
        },
        region_name: 'RegionOne',
      },
      'sim-strict': { ...pw(sim.users.member), allow_private_addresses: false },
      'sim-unscoped': {
        auth: {
          auth_url: `${sim.keystoneUrl}/v3`,
          username: sim.users.member.name,
          password: sim.users.member.password,
          user_domain_name: 'Default',
        },
        region_name: 'RegionOne',
      },
    },
  };
  writeFileSync(path.join(dir, 'clouds.yaml'), JSON.stringify(clouds));
});
afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(
  argv: string[],
  env: Record<string, string> = {},
  stdin = '',
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml'), ...env },
    cwd: dir,
    home: dir,
    readStdin: async () => stdin,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('km-check', () => {
  it('without ids runs the two official testcases, one SCS runner line each, and exits 0', async () => {
    const r = await cli(['--os-cloud', 'sim']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('scs-0116-presence: PASS\nscs-0116-permissions: PASS\n');
    expect(r.err).toMatch(/INFO: scs-0116-permissions: A member created a secret/);
  });

  it('takes the cloud from OS_CLOUD and ids from stdin, like openstack_test.py', async () => {
    const r = await cli(['-'], { OS_CLOUD: 'sim-nokm' }, 'scs-0116-presence\nscs-0116-permissions\n');
    // A key-manager only in another region: presence FAILs in our region-aware judgment, and
    // permissions ABORTs as in openstack_test.py (openstacksdk finds no endpoint there).
    expect(r.out).toBe('scs-0116-presence: FAIL\nscs-0116-permissions: ABORT\n');
  });

  it('a credential without a project still gets one ABORT line per testcase, as openstack_test.py prints them', async () => {
    const r = await cli(['-c', 'sim-unscoped']);
    // A pre-flight refusal: upstream's pre-flight fails on such a token too, prints the lines and exits 1.
    expect(r.code).toBe(1);
    expect(r.out).toBe('scs-0116-presence: ABORT\nscs-0116-permissions: ABORT\n');
    expect(r.err).toMatch(/^CRITICAL: .*names no project/m);
  });

  it('ignores unknown testcase ids with a warning, as the official script does', async () => {
    const r = await cli(['-c', 'sim', 'scs-0100-syntax-check', 'scs-0116-presence']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('scs-0116-presence: PASS\n');
    expect(r.err).toMatch(/ignoring unknown testcases: scs-0100-syntax-check/);
  });

  it('runs exactly the ids given, printed in the order given (as openstack_test.py)', async () => {
    const r = await cli(['-c', 'sim', 'km-quota', 'scs-0116-presence']);
    expect(r.out).toBe('km-quota: PASS\nscs-0116-presence: PASS\n');
    const official = await cli(['-c', 'sim', 'scs-0116-permissions', 'scs-0116-presence']);
    expect(official.out).toBe('scs-0116-permissions: PASS\nscs-0116-presence: PASS\n');
  });

  it('a pre-flight refusal (reader only) is every testcase ABORT, CRITICAL lines and exit 1, as upstream', async () => {
    const r = await cli(['-c', 'sim-reader', 'scs-0116-permissions', 'scs-0116-presence']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('scs-0116-permissions: ABORT\nscs-0116-presence: ABORT\n');
    const critical = r.err.split('\n').filter((l) => l.startsWith('CRITICAL: '));
    // The same three lines as upstream (its hint, the pre-flight line, the reason), so the checker counts alike.
    expect(critical).toEqual([
      'CRITICAL: Please make sure that your OpenStack user has role member.',
      'CRITICAL: Pre-flight checks failed. Reporting all testcases as ABORT.',
      expect.stringMatching(/^CRITICAL: The credential lacks the member role \(roles: reader\)/),
    ]);
  });

  it('an unknown cloud is a pre-flight refusal too; no cloud at all is one CRITICAL line; both exit 1', async () => {
    const unknown = await cli(['-c', 'nope', 'scs-0116-permissions']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toBe('scs-0116-permissions: ABORT\n');
    expect(unknown.err).toMatch(/^CRITICAL: Please make sure that ~\/.config\/openstack\/clouds.yaml exists/m);
    expect(unknown.err).toMatch(/^CRITICAL: .*nope/m);
    const none = await cli([], { OS_CLIENT_CONFIG_FILE: path.join(dir, 'clouds.yaml') });
    expect(none.code).toBe(1);
    expect(none.out).toBe('');
    expect(none.err).toBe(
      'CRITICAL: You need to have OS_CLOUD set or pass --os-cloud=CLOUD (or source an openrc file: OS_AUTH_URL, ...).\n',
    );
  });

  it('--all runs every check, persona checks when their clouds are given', async () => {
    const r = await cli(['-c', 'sim', '--all', '--reader-cloud', 'sim-reader', '--other-project-cloud', 'sim-other']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toContain('km-reader-cannot-write: PASS');
    expect(lines).toContain('km-cross-project: PASS');
    expect(lines.length).toBe(14);
    expect(sim.liveSecrets()).toHaveLength(0);
  });

  it('--json prints the full report with evidence', async () => {
    const r = await cli(['-c', 'sim', '--json', '-s', 'my-subject', 'scs-0116-permissions']);
    const report = JSON.parse(r.out);
    expect(report.subject).toBe('my-subject');
    expect(report.results[0].id).toBe('scs-0116-permissions');
    expect(report.results[0].evidence.map((e: { method: string }) => e.method)).toEqual([
      'POST',
      'GET', // version discovery, as openstacksdk does before its first key-manager call
      'GET',
      'POST',
      'GET',
      'DELETE',
    ]);
  });

  it('--verbose prints each request on stderr as it happens', async () => {
    const r = await cli(['-c', 'sim', '-v', 'scs-0116-permissions']);
    expect(r.err).toMatch(/-> POST http:\/\/127\.0\.0\.1:\d+\/v3\/auth\/tokens 201/);
    expect(r.err).toMatch(/-> DELETE .*\/v1\/secrets\/[0-9a-f-]{36} 204/);
  });

  it('canary: no password, application credential secret, token or payload in any output', async () => {
    const outputs: string[] = [];
    for (const args of [
      ['-c', 'sim'],
      ['-c', 'sim', '--json'],
      ['-c', 'sim', '-v', '--all'],
      ['-c', 'sim-appcred', '--json', '-v', '--all'],
      ['-c', 'sim', '--json', '--all', '--reader-cloud', 'sim-reader', '--other-project-cloud', 'sim-other'],
    ]) {
      const r = await cli(args);
      outputs.push(r.out, r.err);
    }
    const all = outputs.join('\n');
    expect(all).toContain('evidence');
    for (const secret of sim.knownSecrets()) expect(all).not.toContain(secret);
    expect(sim.issuedTokens.length).toBeGreaterThan(5);
  });

  it('allows loopback by default but refuses it with --no-private or allow_private_addresses: false', async () => {
    // Keystone itself is refused: the pre-flight cannot authenticate (exit 1, as upstream when it cannot connect).
    const strict = await cli(['-c', 'sim', '--no-private', 'scs-0116-presence']);
    expect(strict.code).toBe(1);
    expect(strict.out).toBe('scs-0116-presence: ABORT\n');
    expect(strict.err).toMatch(/^CRITICAL: .*loopback addresses are refused/m);
    const fromYaml = await cli(['-c', 'sim-strict', 'scs-0116-presence']);
    expect(fromYaml.out).toBe('scs-0116-presence: ABORT\n');
  });

  it('exits 2 with a one-line message for usage errors', async () => {
    for (const args of [
      ['--bogus'],
      ['-c', 'sim', 'not-a-check'],
      ['-c', 'sim', '--os-interface', 'sideways'],
      ['-c', 'sim', '--all', 'km-quota'],
    ]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(
        r.err
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('km-check:')),
      ).toHaveLength(1);
    }
  });

  it('--list names every check', async () => {
    const r = await cli(['--list']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^scs-0116-presence\trecommended\t/m);
    expect(r.out).toMatch(/^scs-0116-permissions\tmandatory\t/m);
  });
});
