// Every simulator fault of issue 3 item 5 ends in the right verdict with a clear message within
// the configured timeouts: no hang, no crash, no secret in the evidence, and no object left in
// the (simulated) cloud that the run's leftover report does not name.

import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenStackSimulator, selfSignedCertificate, simulatorCloud } from '../../lab/simulator';
import type { FaultRule, SimulatorOptions } from '../../lab/simulator';
import { runChecks } from './run';
import type { CloudConfig, RunReport } from './types';

const OFFICIAL = ['scs-0116-presence', 'scs-0116-permissions'];
// Short timeouts: a fault that ignores them shows up as a slow test, a hang as a failed one.
const TIMEOUTS = { connectMs: 1_000, headersMs: 400, bodyMs: 400 };
// Upper bound for a whole run under any single fault: a few requests, each bounded by the timeouts.
const RUN_BUDGET_MS = 6_000;

let sims: OpenStackSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.stop()));
  sims = [];
});

async function sim(options: SimulatorOptions = {}, faults: FaultRule[] = []): Promise<OpenStackSimulator> {
  const s = await new OpenStackSimulator(options).start();
  for (const f of faults) s.addFault(f);
  sims.push(s);
  return s;
}

interface FaultRun {
  report: RunReport;
  elapsedMs: number;
  payloads: Buffer[];
  events: unknown[];
}

async function run(
  s: OpenStackSimulator,
  ids: string[] | null = OFFICIAL,
  overrides: Partial<CloudConfig> = {},
): Promise<FaultRun> {
  const payloads: Buffer[] = [];
  const events: unknown[] = [];
  const t0 = Date.now();
  const report = await runChecks({
    cloud: simulatorCloud(s, 'member', { timeouts: TIMEOUTS, ...overrides }),
    ids: ids ?? undefined,
    onEvent: (e) => events.push(e),
    randomBytes: (n) => {
      const b = randomBytes(n);
      payloads.push(b);
      return b;
    },
  });
  return { report, elapsedMs: Date.now() - t0, payloads, events };
}

/** The invariants every fault run must keep. */
function expectClean(s: OpenStackSimulator, r: FaultRun): void {
  expect(r.elapsedMs).toBeLessThan(RUN_BUDGET_MS);
  const text = JSON.stringify(r.report) + JSON.stringify(r.events);
  for (const secret of s.knownSecrets()) expect(text).not.toContain(secret);
  for (const p of r.payloads) {
    expect(text).not.toContain(p.toString('hex'));
    expect(text).not.toContain(p.toString('base64'));
  }
  // Whatever is still in the cloud must be named in the report as not deleted.
  const reportedLeft = new Set(r.report.leftovers.filter((l) => !l.deleted).map((l) => l.uuid));
  for (const secret of s.liveSecrets()) expect(reportedLeft).toContain(secret.uuid);
  for (const c of s.containers.keys()) expect(reportedLeft).toContain(c);
}

function verdicts(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.id, r.verdict]));
}

function message(report: RunReport, id: string): string {
  return report.results.find((r) => r.id === id)?.message ?? '';
}

describe('latency', () => {
  it('added latency below the timeouts changes nothing', async () => {
    const s = await sim({}, [{ service: 'barbican', action: { kind: 'latency', ms: 150 } }]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'PASS' });
    expectClean(s, r);
  });

  it('latency beyond the header timeout ABORTs with the timeout in the message', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'GET', path: '/v1/secrets', action: { kind: 'latency', ms: 1_500 } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'ABORT' });
    expect(message(r.report, 'scs-0116-permissions')).toMatch(/no response within 400 ms/);
    expectClean(s, r);
  });
});

describe('hang until the timeout', () => {
  it('a hanging Keystone ABORTs every testcase within the header timeout', async () => {
    const s = await sim({}, [{ service: 'keystone', path: '/v3/auth/tokens', action: { kind: 'hang' } }]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'ABORT', 'scs-0116-permissions': 'ABORT' });
    expect(message(r.report, 'scs-0116-presence')).toMatch(/identity POST .*auth\/tokens: no response within 400 ms/);
    expect(r.elapsedMs).toBeLessThan(2_000);
    expectClean(s, r);
  });

  it('a create that is executed but never answered ABORTs, and the sweep finds and deletes the secret', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'POST', path: '/v1/secrets', phase: 'after', action: { kind: 'hang' } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'ABORT' });
    expect(message(r.report, 'scs-0116-permissions')).toMatch(/Could not create a secret: .*no response within 400 ms/);
    expect(r.report.leftovers).toEqual([
      expect.objectContaining({
        kind: 'secret',
        deleted: true,
        reason: expect.stringMatching(/create got no usable answer/),
      }),
    ]);
    expect(s.liveSecrets()).toHaveLength(0);
    expectClean(s, r);
  });
});

describe('a create that lands after the client gave up', () => {
  it('ABORTs, and the sweep watches for the secret until it lands and deletes it', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'POST', path: '/v1/secrets', action: { kind: 'late', ms: 1_500 } },
    ]);
    const r = await run(s, OFFICIAL, { limits: { lateCreateMs: 4_000 } });
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'ABORT' });
    expect(message(r.report, 'scs-0116-permissions')).toMatch(/Could not create a secret: .*no response within 400 ms/);
    expect(r.report.leftovers).toEqual([
      expect.objectContaining({
        kind: 'secret',
        name: 'scs-member-role-test-secret',
        deleted: true,
        reason: expect.stringMatching(/create got no usable answer, but Barbican had created it/),
      }),
    ]);
    expect(s.liveSecrets()).toHaveLength(0);
    expectClean(s, r);
  });

  it('one that has not landed when lateCreateMs are over is named in a warning', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'POST', path: '/v1/secrets', action: { kind: 'late', ms: 60_000 } },
    ]);
    const r = await run(s, OFFICIAL, { limits: { lateCreateMs: 1_500 } });
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'ABORT' });
    expect(r.report.leftovers).toEqual([]);
    expect(r.report.warnings.join(' ')).toMatch(
      /create of secret "scs-member-role-test-secret" got no answer .* nothing of that name appeared within 2 s; should it appear later, a later run deletes it/,
    );
    expectClean(s, r);
  });
});

describe('the run deadline', () => {
  it('checks still running when it passes ABORT naming it; the sweep still cleans up', async () => {
    const s = await sim({ ordersDeletableByMember: true }, [
      { service: 'barbican', path: '/v1', action: { kind: 'latency', ms: 150 } },
    ]);
    const r = await run(s, null, { limits: { runMs: 1_500 } });
    const overdue = r.report.results.filter((x) => /run's deadline \(2 s\) passed/.test(x.message));
    expect(overdue.length).toBeGreaterThan(0);
    for (const x of overdue) expect(x.verdict).toBe('ABORT');
    expect(r.report.results.at(-1)?.message).toMatch(/deadline .* passed before this check started/);
    expect(s.liveSecrets()).toHaveLength(0);
    expectClean(s, r);
  });
});

describe('version discovery that standard clients cannot use', () => {
  const root = /^\/(\?.*)?$/;
  it.each([
    ['HTTP 500', { kind: 'status', status: 500 } as const, /answered HTTP 500/],
    ['an HTML page', { kind: 'status', status: 200, body: '<html/>', contentType: 'text/html' } as const, /not JSON/],
    ['no v1', { kind: 'status', status: 300, body: '{"versions": {"values": []}}' } as const, /no usable version 1/],
  ])('%s: presence PASS, permissions ABORT naming discovery, Barbican untouched otherwise', async (_n, action, why) => {
    const s = await sim({}, [{ service: 'barbican', method: 'GET', path: root, action }]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'ABORT' });
    expect(message(r.report, 'scs-0116-permissions')).toMatch(
      /Standard clients cannot use this key manager: version discovery at/,
    );
    expect(message(r.report, 'scs-0116-permissions')).toMatch(why);
    expect(s.log.filter((l) => l.service === 'barbican').map((l) => l.method)).toEqual(['GET']);
    expectClean(s, r);
  });

  it('a catalog URL ending in /v1 needs no discovery, as for openstacksdk: PASS despite the broken document', async () => {
    const s = await sim({ keyManagerUrl: (u) => `${u}/v1` }, [
      { service: 'barbican', method: 'GET', path: root, action: { kind: 'status', status: 500 } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'PASS' });
    expectClean(s, r);
  });
});

describe('500 and 503', () => {
  for (const status of [500, 503]) {
    it(`${status} on the secret list ABORTs`, async () => {
      const s = await sim({}, [
        { service: 'barbican', method: 'GET', path: '/v1/secrets', action: { kind: 'status', status } },
      ]);
      const r = await run(s);
      expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'ABORT' });
      expect(message(r.report, 'scs-0116-permissions')).toMatch(new RegExp(`HTTP ${status}`));
      expectClean(s, r);
    });
  }

  it('503 from Keystone ABORTs every testcase', async () => {
    const s = await sim({}, [
      { service: 'keystone', path: '/v3/auth/tokens', action: { kind: 'status', status: 503 } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'ABORT', 'scs-0116-permissions': 'ABORT' });
    expect(message(r.report, 'scs-0116-presence')).toMatch(/HTTP 503/);
    expectClean(s, r);
  });

  it('500 after the secret was stored ABORTs, and the sweep deletes the stored secret', async () => {
    const s = await sim({}, [
      {
        service: 'barbican',
        method: 'POST',
        path: '/v1/secrets',
        phase: 'after',
        action: { kind: 'status', status: 500 },
      },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(r.report.leftovers).toEqual([expect.objectContaining({ deleted: true })]);
    expect(s.liveSecrets()).toHaveLength(0);
    expectClean(s, r);
  });
});

describe('malformed JSON', () => {
  it('in the secret list ABORTs', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'GET', path: '/v1/secrets', action: { kind: 'malformed-json' } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(message(r.report, 'scs-0116-permissions')).toMatch(/malformed JSON/);
    expectClean(s, r);
  });

  it('in the create answer ABORTs, and the sweep deletes the secret that was created', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'POST', path: '/v1/secrets', action: { kind: 'malformed-json' } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(r.report.leftovers).toEqual([expect.objectContaining({ kind: 'secret', deleted: true })]);
    expect(s.liveSecrets()).toHaveLength(0);
    expectClean(s, r);
  });

  it('in the Keystone token ABORTs every testcase', async () => {
    const s = await sim({}, [{ service: 'keystone', path: '/v3/auth/tokens', action: { kind: 'malformed-json' } }]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'ABORT', 'scs-0116-permissions': 'ABORT' });
    expect(message(r.report, 'scs-0116-presence')).toMatch(/malformed JSON/);
    expectClean(s, r);
  });
});

describe('truncated body', () => {
  it('ABORTs with the cut-off named', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'GET', path: '/v1/secrets', action: { kind: 'truncated' } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(message(r.report, 'scs-0116-permissions')).toMatch(
      /closed before the response body was complete|ended before its announced length/,
    );
    expectClean(s, r);
  });
});

describe('oversized body', () => {
  it('an announced oversized body is refused before it is read', async () => {
    const s = await sim({}, [
      {
        service: 'barbican',
        method: 'GET',
        path: '/v1/secrets',
        action: { kind: 'oversized', bytes: 6 * 1024 * 1024, announce: true },
      },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(message(r.report, 'scs-0116-permissions')).toMatch(
      /announced a 6291456-byte response .* above the 5242880-byte limit/,
    );
    expectClean(s, r);
  });

  it('a streamed oversized body is cut off at the cap (default 5 MB)', async () => {
    const s = await sim({}, [
      {
        service: 'barbican',
        method: 'GET',
        path: '/v1/secrets',
        action: { kind: 'oversized', bytes: 8 * 1024 * 1024 },
      },
    ]);
    const r = await run(s, OFFICIAL, { timeouts: { ...TIMEOUTS, bodyMs: 2_000 } });
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(message(r.report, 'scs-0116-permissions')).toMatch(/sent more than 5242880 bytes/);
    const evidence = r.report.results[1]!.evidence.at(-1)!;
    expect(evidence.error).toMatch(/5242880/);
    expectClean(s, r);
  });
});

describe('redirects', () => {
  it('a redirect to another host is not followed: ABORT, and the other host sees no request', async () => {
    const other = await sim();
    const s = await sim({}, [
      {
        service: 'barbican',
        method: 'GET',
        path: '/v1/secrets',
        action: { kind: 'redirect', location: `${other.barbicanUrl.replace('127.0.0.1', 'localhost')}/v1/secrets` },
      },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(message(r.report, 'scs-0116-permissions')).toMatch(
      /redirected GET .* to another origin \(http:\/\/localhost:\d+\); only redirects to the same scheme, host and port/,
    );
    expect(other.log).toHaveLength(0);
    expectClean(s, r);
  });

  it('a same-host redirect is followed', async () => {
    const s = await sim({}, [
      {
        service: 'barbican',
        method: 'GET',
        path: '/v1/secrets',
        times: 1,
        action: {
          kind: 'redirect',
          location: '/v1/secrets?name=scs-member-role-test-secret&limit=100&offset=0',
          status: 307,
        },
      },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'PASS' });
    expectClean(s, r);
  });

  it('a redirect to 169.254.169.254 (metadata) is refused', async () => {
    const s = await sim({}, [
      {
        service: 'barbican',
        method: 'GET',
        path: '/v1/secrets',
        action: { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/' },
      },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(message(r.report, 'scs-0116-permissions')).toMatch(/169\.254\.169\.254/);
    expectClean(s, r);
  });

  it('a catalog endpoint at 169.254.169.254 is refused by the address guard even when private addresses are allowed', async () => {
    const s = await sim({ keyManagerUrl: () => 'http://169.254.169.254:9311' });
    const r = await run(s, [...OFFICIAL, 'km-version']);
    expect(verdicts(r.report)).toEqual({
      'scs-0116-presence': 'PASS',
      'scs-0116-permissions': 'ABORT',
      'km-version': 'ABORT',
    });
    expect(message(r.report, 'scs-0116-permissions')).toMatch(
      /Refused to connect to 169\.254\.169\.254: link-local addresses .* never contacted/,
    );
    expectClean(s, r);
  });
});

describe('401 in the middle of a run', () => {
  it('a single 401 (token revoked) leads to one re-authentication and the testcase still PASSes', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'POST', path: '/v1/secrets', times: 1, action: { kind: 'status', status: 401 } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'PASS', 'scs-0116-permissions': 'PASS' });
    const ev = r.report.results[1]!.evidence;
    expect(ev.some((e) => e.status === 401)).toBe(true);
    expect(ev.filter((e) => e.url.endsWith('/auth/tokens'))).toHaveLength(2);
    expect(s.issuedTokens).toHaveLength(2);
    expectClean(s, r);
  });

  it('401 that persists after re-authentication ABORTs', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'GET', path: '/v1/secrets', action: { kind: 'status', status: 401 } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(message(r.report, 'scs-0116-permissions')).toMatch(/HTTP 401/);
    expectClean(s, r);
  });
});

describe('400 or 409 on delete', () => {
  for (const status of [400, 409]) {
    it(`${status} on the check's delete ABORTs; the sweep retries and reports the secret as deleted`, async () => {
      const s = await sim({}, [
        { service: 'barbican', method: 'DELETE', path: '/v1/secrets/', times: 1, action: { kind: 'status', status } },
      ]);
      const r = await run(s);
      expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
      expect(message(r.report, 'scs-0116-permissions')).toMatch(
        new RegExp(`Could not delete the secret: .*HTTP ${status}`),
      );
      expect(r.report.leftovers).toEqual([
        expect.objectContaining({
          kind: 'secret',
          deleted: true,
          reason: expect.stringMatching(/could not delete it/),
        }),
      ]);
      expect(s.liveSecrets()).toHaveLength(0);
      expectClean(s, r);
    });
  }

  it('a delete that keeps failing leaves a leftover the report names, with a warning', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'DELETE', path: '/v1/secrets/', action: { kind: 'status', status: 409 } },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(s.liveSecrets()).toHaveLength(1);
    expect(r.report.leftovers).toEqual([expect.objectContaining({ uuid: s.liveSecrets()[0]!.uuid, deleted: false })]);
    expect(r.report.warnings.join(' ')).toMatch(/could not be deleted/);
    expectClean(s, r);
  });
});

describe('wrong content type', () => {
  it('an HTML answer where JSON is expected ABORTs', async () => {
    const s = await sim({}, [
      {
        service: 'barbican',
        method: 'GET',
        path: '/v1/secrets',
        action: { kind: 'content-type', contentType: 'text/html' },
      },
    ]);
    const r = await run(s);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expect(message(r.report, 'scs-0116-permissions')).toMatch(/content type "text\/html" where JSON was expected/);
    expectClean(s, r);
  });
});

describe('TLS with an untrusted certificate', () => {
  it('an untrusted Keystone certificate ABORTs every testcase with the TLS reason', async () => {
    const tls = selfSignedCertificate();
    const s = await sim({ tls: { keystone: tls, barbican: tls } });
    const r = await run(s);
    expect(verdicts(r.report)).toEqual({ 'scs-0116-presence': 'ABORT', 'scs-0116-permissions': 'ABORT' });
    expect(message(r.report, 'scs-0116-presence')).toMatch(
      /TLS certificate is not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
    );
    expect(s.log).toHaveLength(0);
    expectClean(s, r);
  });

  it('an untrusted Barbican certificate: presence PASS, permissions ABORT, km-tls FAIL', async () => {
    const s = await sim({ tls: { barbican: selfSignedCertificate() } });
    const r = await run(s, [...OFFICIAL, 'km-tls']);
    expect(verdicts(r.report)).toEqual({
      'scs-0116-presence': 'PASS',
      'scs-0116-permissions': 'ABORT',
      'km-tls': 'FAIL',
    });
    expect(message(r.report, 'km-tls')).toMatch(/does not verify/);
    expect(s.log.filter((l) => l.service === 'barbican')).toHaveLength(0);
    expectClean(s, r);
  });
});

describe('catalog URL ending in /v1', () => {
  it('the testcases still PASS (the client normalises the URL) and km-version FAILs, naming the fix', async () => {
    const s = await sim({ keyManagerUrl: (url) => `${url}/v1` });
    const r = await run(s, [...OFFICIAL, 'km-version']);
    expect(verdicts(r.report)).toEqual({
      'scs-0116-presence': 'PASS',
      'scs-0116-permissions': 'PASS',
      'km-version': 'FAIL',
    });
    expect(message(r.report, 'km-version')).toMatch(/catalog URL .*\/v1 ends in \/v1; register the versionless URL/);
    expectClean(s, r);
  });
});

describe('faults under the full check set', () => {
  it('a Barbican that answers 503 to everything: every check ends with a verdict, nothing left', async () => {
    const s = await sim({}, [{ service: 'barbican', action: { kind: 'status', status: 503 } }]);
    const r = await run(s, null);
    expect(r.report.results.length).toBeGreaterThan(10);
    for (const res of r.report.results) expect(['PASS', 'FAIL', 'ABORT']).toContain(res.verdict);
    expect(verdicts(r.report)['scs-0116-permissions']).toBe('ABORT');
    expectClean(s, r);
  });

  it('cancelling a run mid-way ABORTs the rest and still cleans up', async () => {
    const s = await sim({}, [
      { service: 'barbican', method: 'GET', path: '/v1/secrets', action: { kind: 'latency', ms: 300 } },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const report = await runChecks({
      cloud: simulatorCloud(s, 'member', { timeouts: TIMEOUTS }),
      signal: controller.signal,
    });
    expect(report.results.find((x) => x.id === 'scs-0116-permissions')?.verdict).toBe('ABORT');
    expect(report.results.at(-1)?.message).toMatch(/cancelled/);
    expect(s.liveSecrets()).toHaveLength(0);
  });
});
