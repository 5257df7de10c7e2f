// The minimal raw HTTP sequence of the two official testcases (what openstacksdk sends for
// scs-0116-presence and scs-0116-permissions: token, version discovery, list, create, list, delete),
// by hand with undici: no redaction, no evidence, no checks around it. The floor of bench:checks
// (in process) and, run as `node bench/raw-sequence.mjs <lab.json> <secret name>`, of bench:cli (a
// cold bare-node process). Plain JavaScript, so the process compiles nothing.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from 'undici';

/** The six requests as the lab's member user (j: the lab's lab.json). */
export async function rawSequence(j, secretName) {
  const m = j.users.member;
  const ks = new Client(new URL(j.auth_url).origin);
  const bb = new Client(new URL(j.barbican.url).origin);
  try {
    const auth = await ks.request({
      method: 'POST',
      path: `${new URL(j.auth_url).pathname}/auth/tokens`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: m.username, domain: { name: m.user_domain_name }, password: m.password } },
          },
          scope: { project: { id: m.project_id } },
        },
      }),
    });
    const token = String(auth.headers['x-subject-token']);
    await auth.body.json();
    const headers = { 'x-auth-token': token, accept: 'application/json' };
    await (await bb.request({ method: 'GET', path: '/', headers: { accept: 'application/json' } })).body.json();
    const list = '/v1/secrets';
    await (await bb.request({ method: 'GET', path: list, headers })).body.json();
    const created = await bb.request({
      method: 'POST',
      path: '/v1/secrets',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: secretName,
        secret_type: 'opaque',
        payload: 'bench-payload',
        payload_content_type: 'text/plain',
      }),
    });
    const ref = (await created.body.json()).secret_ref;
    const found = await (await bb.request({ method: 'GET', path: list, headers })).body.json();
    if (!found.secrets.some((s) => s.secret_ref === ref)) throw new Error('raw run: created secret not found');
    const del = await bb.request({ method: 'DELETE', path: `/v1/secrets/${ref.split('/').pop()}`, headers });
    await del.body.dump();
    if (del.statusCode !== 204) throw new Error(`raw run: delete answered ${del.statusCode}`);
  } finally {
    await Promise.all([ks.close(), bb.close()]);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [labJson, secretName] = process.argv.slice(2);
  await rawSequence(JSON.parse(fs.readFileSync(labJson, 'utf8')), secretName);
  process.stdout.write('scs-0116-presence: PASS\nscs-0116-permissions: PASS\n');
}
