// Issue 12 item 3 (memory exhaustion by a signed-in user): JSON bodies had no size cap; 6-10 parallel
// 50 MiB bodies ran the web process out of memory. Every API route reads at most 1 MiB of JSON and
// answers 413 before reading more; uploads keep their own limit.
import fs from 'node:fs';
import http from 'node:http';
import { beforeAll, describe, expect, test } from 'vitest';
import { app, call, makeWorld, type World } from './support';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});

const MiB = 1024 * 1024;

/** The suite app's web process (scripts/web.ts started by its front), found through /proc. */
function webProcess(): number {
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (cmd.includes('scripts/web.ts') && env.includes(`DATA_DIR=${app().dataDir}`)) return Number(pid);
    } catch {
      /* gone or not ours */
    }
  }
  throw new Error('web process not found');
}

function rssMiB(pid: number): number {
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

/** Streams `total` bytes of a JSON string as a chunked body; resolves with the status and bytes sent. */
function streamBody(path: string, token: string, total: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, app().base);
    let sent = 0;
    let done = false;
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
        },
      },
      (res) => {
        done = true;
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, sent }));
      },
    );
    req.on('error', (e) => (done ? undefined : reject(e)));
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    req.write('{"slug":"x","name":"');
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end('"}');
    };
    pump();
  });
}

describe('item 3: JSON bodies are capped at 1 MiB (413)', () => {
  test('a declared 50 MiB body is refused with 413 by its Content-Length', async () => {
    const body = JSON.stringify({ slug: 'big', name: 'x'.repeat(2 * MiB) });
    const r = await call('/api/v1/organizations', {
      method: 'POST',
      token: app().admin.token,
      raw: body,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status, r.text.slice(0, 200)).toBe(413);
    expect(r.json).toMatchObject({ error: { code: 'payload_too_large', message: expect.stringMatching(/1 MiB/) } });
  });

  test('8 parallel chunked 50 MiB bodies (no length) get 413 and the web process does not buffer them', async () => {
    const web = webProcess();
    const before = rssMiB(web);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => streamBody('/api/v1/organizations', app().admin.token, 50 * MiB)),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(413));
    // Still the same process (not restarted after running out of memory), and not 400 MiB larger.
    expect(fs.existsSync(`/proc/${web}`)).toBe(true);
    expect(rssMiB(web) - before).toBeLessThan(150);
  });

  test('the cap holds on every JSON route, also for a CSP user', async () => {
    const big = JSON.stringify({ statement: { notes: 'x'.repeat(MiB + 10) } });
    for (const [method, path] of [
      ['PUT', `/api/v1/clouds/${w.cloud}/credential`],
      ['POST', `/api/v1/clouds/${w.cloud}/runs`],
      ['POST', `/api/v1/clouds/${w.cloud}/attestations`],
    ]) {
      const r = await call(path, {
        method,
        token: w.csp.token,
        raw: big,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status, `${method} ${path}: ${r.text.slice(0, 200)}`).toBe(413);
    }
  });

  test('a body just under the cap is read (and then judged on its content)', async () => {
    const r = await call('/api/v1/organizations', {
      method: 'POST',
      token: app().admin.token,
      body: { slug: 'under-cap', name: 'x'.repeat(MiB - 100) },
    });
    expect(r.status).toBe(422);
  });
});
