// Property-based fuzzing of every operation in /api/v1/openapi.json (fast-check): random and
// malformed path parameters, query strings, headers and bodies, as an admin, a CSP user (token and
// cookie session) and anonymously. Whatever is sent: no 5xx, no stack trace or internal path in the
// answer, and every error is the documented {error: {code, message}} body. Bounded: FUZZ_RUNS cases per
// operation and caller (default 12) and FUZZ_SECONDS per property (default 20).
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { app, call, credentialBody, makeWorld, signIn, type World } from './support';

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: 'path' | 'query' }[];
  body: boolean;
}

const RUNS = Number(process.env.FUZZ_RUNS || 12);
const SECONDS = Number(process.env.FUZZ_SECONDS || 20);

const ops: Operation[] = [];
let w: World;
let cspCookie = '';
let known: Record<string, string[]> = {};

beforeAll(async () => {
  const doc = (await call('/api/v1/openapi.json')).json as {
    paths: Record<
      string,
      Record<string, { parameters?: { name: string; in: 'path' | 'query' }[]; requestBody?: unknown }>
    >;
  };
  for (const [p, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({ method: method.toUpperCase(), path: p, params: op.parameters ?? [], body: !!op.requestBody });
    }
  w = await makeWorld();
  cspCookie = (await signIn(w.csp.email, w.csp.password)).cookie;
  // Real identifiers too, so cases reach past "not found" into parsing and the domain.
  await call(`/api/v1/clouds/${w.cloud}/credential`, { method: 'PUT', token: w.csp.token, body: credentialBody() });
  const run = (await call(`/api/v1/clouds/${w.cloud}/runs`, { method: 'POST', token: w.csp.token })).json as {
    id: string;
  };
  const att = (await call(`/api/v1/clouds/${w.cloud}/attestations`, { method: 'POST', token: w.csp.token })).json as {
    id: string;
  };
  known = {
    slug: [w.cloud, w.otherCloud],
    id: [run.id, att.id].filter(Boolean),
    fileId: ['00000000-0000-4000-8000-000000000000'],
  };
});

const malformed = fc.constantFrom(
  '%E0%A4%A',
  '%',
  '%00',
  '%2e%2e%2f',
  '..',
  'a%0Ab',
  '%FF%FE',
  '💥',
  '\u202e',
  ' ',
  '\'; DROP TABLE "User"; --',
  'x'.repeat(5000),
);
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), malformed);
const pathSegment = (name: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(known[name]?.length ? known[name] : ['x'])) },
    { weight: 2, arbitrary: text.map((s) => encodeURIComponent(s)) },
    { weight: 2, arbitrary: malformed },
    { weight: 1, arbitrary: fc.uuid() },
  );
const queryValue = fc.oneof(
  fc.constantFrom('json', 'csv', 'markdown', 'yaml', 'true', 'false', '1', '0', '-1', '1e309', 'all', 'reader', 'week'),
  text,
  fc.integer().map(String),
);
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const body = fc.oneof(
  { weight: 3, arbitrary: jsonValue.map((v) => JSON.stringify(v)) },
  {
    weight: 3,
    arbitrary: fc
      .dictionary(
        fc.constantFrom(
          'slug',
          'name',
          'organization',
          'region',
          'public',
          'description',
          'contactEmails',
          'statement',
          'decision',
          'comment',
          'confirm',
          'signerName',
          'testcases',
          'clouds_yaml',
          'openrc',
          'type',
          'auth_url',
          'password',
          'persona',
          'allow_private_addresses',
          '__proto__',
          'constructor',
        ),
        fc.oneof(jsonValue, text),
      )
      .map((o) => JSON.stringify(o)),
  },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '[', '{"a":', 'null', '"\\ud800"', '{"a":"\\u0000"}', '\u0000') },
);
const headers = fc.record(
  {
    origin: fc.oneof(fc.constantFrom('https://evil.example', 'null', 'http://[', app().base), text),
    'content-type': fc.constantFrom(
      'application/json',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      '',
      'application/json; charset=latin1',
    ),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'text/event-stream'),
    'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), text),
    'x-scs-client-address': text,
    'sec-fetch-site': fc.constantFrom('same-origin', 'cross-site', 'none', 'same-site'),
  },
  { requiredKeys: [] },
);

type Caller = 'admin' | 'csp-token' | 'csp-cookie' | 'anonymous';
const CALLERS: Caller[] = ['admin', 'csp-token', 'csp-cookie', 'anonymous'];

function auth(caller: Caller, junk: string | null): Record<string, string> {
  if (caller === 'admin') return { authorization: `Bearer ${app().admin.token}` };
  if (caller === 'csp-token') return { authorization: `Bearer ${w.csp.token}` };
  if (caller === 'csp-cookie') return { cookie: cspCookie };
  return junk === null ? {} : { authorization: junk };
}

const STACK = /\n\s+at [^\n]+[(:]\d+|node_modules\/|\/work\/|webpack-internal|\.tsx?:\d+:\d+/;

async function send(op: Operation, caller: Caller, c: FuzzCase) {
  let p = op.path;
  for (const prm of op.params.filter((x) => x.in === 'path')) p = p.replace(`{${prm.name}}`, c.path[prm.name] ?? 'x');
  const qs = Object.entries(c.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const url = `${app().base}/api/v1${p}${qs ? `?${qs}` : ''}`;
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...c.headers, ...auth(caller, c.junkAuth) }))
    if (/^[\t\x20-\x7e]*$/.test(v)) h[k] = v; // what fetch can send at all
  const res = await fetch(url, {
    method: op.method,
    headers: h,
    body: op.method === 'GET' || op.method === 'DELETE' ? undefined : c.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
  // A live-progress stream stays open: its headers are the answer.
  const type = res.headers.get('content-type') ?? '';
  const text = type.startsWith('text/event-stream') ? (await res.body?.cancel(), '') : await res.text();
  return { status: res.status, type, text, url };
}

interface FuzzCase {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  junkAuth: string | null;
}

function caseFor(op: Operation): fc.Arbitrary<FuzzCase> {
  const pathParams = op.params.filter((x) => x.in === 'path');
  const queryNames = op.params.filter((x) => x.in === 'query').map((x) => x.name);
  return fc.record({
    path: fc.record(Object.fromEntries(pathParams.map((x) => [x.name, pathSegment(x.name)]))) as fc.Arbitrary<
      Record<string, string>
    >,
    query: fc.dictionary(fc.oneof(fc.constantFrom(...(queryNames.length ? queryNames : ['x'])), text), queryValue, {
      maxKeys: 4,
    }),
    headers,
    body,
    junkAuth: fc.oneof(
      fc.constant(null),
      fc.constantFrom('Bearer ', 'Bearer x', 'Basic Zm9vOmJhcg==', 'bearer  '),
      text,
    ),
  });
}

describe('API fuzzing from the OpenAPI document', () => {
  test('the document lists the operations', () => {
    expect(ops.length).toBeGreaterThan(20);
  });

  for (const caller of CALLERS) {
    test(`every operation, as ${caller}: no 5xx, no stack trace, a clear error body`, async () => {
      const failures: string[] = [];
      for (const op of ops) {
        await fc
          .assert(
            fc.asyncProperty(caseFor(op), async (c) => {
              const r = await send(op, caller, c);
              const where = `${op.method} ${r.url} as ${caller}`;
              if (r.status >= 500) failures.push(`${where}: ${r.status} ${r.text.slice(0, 200)}`);
              if (STACK.test(r.text))
                failures.push(`${where}: stack trace or internal path in ${r.text.slice(0, 300)}`);
              if (r.status >= 400 && r.type.startsWith('application/json')) {
                const ok = (() => {
                  try {
                    const j = JSON.parse(r.text) as { error?: { code?: unknown; message?: unknown } };
                    return (
                      typeof j.error?.code === 'string' &&
                      typeof j.error.message === 'string' &&
                      j.error.message.length > 5
                    );
                  } catch {
                    return false;
                  }
                })();
                if (!ok) failures.push(`${where}: ${r.status} without a clear error body: ${r.text.slice(0, 200)}`);
              }
              return failures.length === 0;
            }),
            { numRuns: RUNS, interruptAfterTimeLimit: SECONDS * 1000, markInterruptAsFailure: false },
          )
          .catch(() => {});
        if (failures.length) break;
      }
      expect(failures.slice(0, 10)).toEqual([]);
    });
  }
});
