// POST /reports in integration tests: route handlers called with a real Request, runner reports as
// scs-compliance-check.py writes them, and SSHSIG signatures by our own signer (npm run test:interop
// signs with ssh-keygen through the official runner). Shared by interop-reports and key approval.
import crypto from 'node:crypto';
import { createToken } from '@/lib/tokens';
import { ed25519Blob, signEd25519 } from '@/lib/interop/sshsig';
import type { Actor } from '@/lib/auth/policy';
import { ctxOf } from './fixtures';

// Response bodies as the tests read them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;

export async function call(
  handler: unknown,
  opts: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    params?: Record<string, string>;
  },
) {
  const req = new Request(`http://127.0.0.1:3300${opts.path ?? '/'}`, {
    method: opts.method ?? 'GET',
    headers: new Headers({ 'x-scs-client-address': '192.0.2.77', ...opts.headers }),
    body: opts.body,
  });
  const res = await (handler as Handler)(req, { params: Promise.resolve(opts.params ?? {}) });
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, text, json: json as Json };
}

export const tokenFor = async (a: Actor) => (await createToken(ctxOf(a), a.id, { name: 'reports test' })).token;
export const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
export const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

export function newKey() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return { privateKey, line: `ssh-ed25519 ${ed25519Blob(publicKey).toString('base64')} runner@test` };
}

/** A report as scs-compliance-check.py writes it (PyYAML safe_dump layout), for one subject. */
export function runnerReport(
  subject: string,
  opts: { runUuid?: string; permissions?: number; presence?: number; at?: Date; assignment?: string } = {},
) {
  const at = (opts.at ?? new Date(Date.now() - 60_000)).toISOString();
  const inv = crypto.randomUUID();
  const runUuid = opts.runUuid ?? crypto.randomUUID();
  const results = [`        scs-0116-permissions: ${opts.permissions ?? 1}`];
  if (opts.presence !== undefined) results.push(`        scs-0116-presence: ${opts.presence}`);
  const text = `---
spec:
  uuid: 50393e6f-2ae1-4c5c-a62c-3b75f2abef3f
  name: SCS-compatible IaaS
  url: https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/scs-compatible-iaas.yaml
checked_at: ${at.slice(0, 10)} ${at.slice(11, 23)}123
reference_date: ${at.slice(0, 10)}
subject: ${subject}
run:
  uuid: ${runUuid}
  argv:
  - /x/scs-compatible-iaas.yaml
  - -s
  - ${subject}
  assignment:
    os_cloud: lab
${opts.assignment ?? ''}  sections: null
  forced_version: null
  forced_tests: null
  invocations:
    ${inv}:
      id: ${inv}
      cmd: ./iaas/openstack_test.py -c lab scs-0116-permissions scs-0123-service-compute
      results:
${results.join('\n')}
        scs-0123-service-compute: -1
      rc: 0
      stdout:
      - 'scs-0116-permissions: ${opts.permissions === -1 ? 'FAIL' : 'PASS'}'
      stderr:
      - 'DEBUG: ** scs-0116-permissions'
${opts.permissions === -1 ? "      - 'ERROR: Unsuccessful at using Key Manager API'\n" : ''}      - 'ERROR: No service of type(s) compute found.'
      info: 0
      warning: 0
      error: 1
      critical: 0
`;
  return { text, runUuid };
}

export const signed = (text: string, privateKey: crypto.KeyObject) =>
  `${signEd25519(Buffer.from(text), privateKey, 'report')}&${text}`;
