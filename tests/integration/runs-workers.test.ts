// Worker processes on a real PostgreSQL: a worker killed with SIGKILL mid-run leaves an
// interrupted run (found by its stale heartbeat) whose test secret is swept at the cloud's next
// run; two worker processes share 200 queued runs and none is executed twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import { OpenStackSimulator, simulatorCloud } from '../../lab/simulator';
import { createRun, getRun } from '../../lib/runs';
import { enqueueRun, requestRun, stopBoss } from '../../lib/jobs';
import { ensureTestUsers, makeCloud, makeOrg, staff, waitFor } from './support/fixtures';
import { spawnWorker, writeConfigs, type WorkerChild } from './support/spawn-worker';

const children: WorkerChild[] = [];
beforeAll(async () => {
  await ensureTestUsers();
});
afterAll(async () => {
  for (const c of children) await c.stop();
  await stopBoss();
});

describe('a worker killed with SIGKILL', () => {
  it('leaves an interrupted run within the stale window and its leftover is swept at the next run', async () => {
    const sim = await new OpenStackSimulator({ policy: 'creator' }).start();
    try {
      // The secret gets created, then its delete hangs: the run is stuck with a leftover.
      sim.addFault({ service: 'barbican', method: 'DELETE', path: '/v1/secrets/', action: { kind: 'hang' } });
      const org = await makeOrg();
      const cloud = await makeCloud(org.id);
      const file = writeConfigs({
        [cloud.slug]: simulatorCloud(sim, 'member', {
          timeouts: { connectMs: 2_000, headersMs: 120_000, bodyMs: 120_000 },
        }),
      });
      const env = { RUN_HEARTBEAT_MS: '300', WORKER_CONCURRENCY: '2' };
      const victim = await spawnWorker(file, env);
      children.push(victim);
      const { run } = await requestRun(
        staff(),
        { slug: cloud.slug },
        { trigger: 'manual', testcases: ['km-payload-roundtrip'] },
      );
      const prefix = (await waitFor(async () => (await db.run.findUnique({ where: { id: run.id } }))?.namePrefix))!;
      await waitFor(async () => sim.liveSecrets().some((s) => s.name?.startsWith(prefix)), 20_000);
      expect((await getRun(staff(), run.id)).status).toBe('running');

      victim.proc.kill('SIGKILL');
      const killedAt = Date.now();
      // Another worker notices the stale heartbeat (4 x 300 ms here; 4 x 15 s = 60 s by default, under 2 minutes).
      const survivor = await spawnWorker(file, env);
      children.push(survivor);
      const interrupted = await waitFor(async () => {
        const r = await db.run.findUnique({ where: { id: run.id } });
        return r?.status === 'interrupted' ? r : null;
      }, 30_000);
      expect(Date.now() - killedAt).toBeLessThan(120_000);
      expect(interrupted.error).toMatch(/heartbeat/);
      expect(sim.liveSecrets().filter((s) => s.name?.startsWith(prefix))).toHaveLength(1);

      // The next run of the cloud (on the surviving worker) sweeps it first.
      sim.faults.clear();
      const next = await requestRun(
        staff(),
        { slug: cloud.slug },
        { trigger: 'manual', testcases: ['scs-0116-presence'] },
      );
      const done = await waitFor(async () => {
        const r = await db.run.findUnique({ where: { id: next.run.id } });
        return r?.status === 'finished' ? r : null;
      }, 30_000);
      expect(sim.liveSecrets().filter((s) => s.name?.startsWith(prefix))).toEqual([]);
      const earlier = (
        done.report as {
          earlierRuns: { runs: Array<{ id: string }>; found: Array<{ name: string; deleted: boolean }> };
        }
      ).earlierRuns;
      expect(earlier.runs.map((r) => r.id)).toEqual([run.id]);
      expect(earlier.found.some((f) => f.name.startsWith(prefix) && f.deleted)).toBe(true);
      const swept = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(swept.sweptAt).not.toBeNull();
      expect(swept.sweptByRunId).toBe(next.run.id);
    } finally {
      for (const c of children.splice(0)) await c.stop();
      await sim.stop();
    }
  }, 120_000);
});

describe('two worker processes', () => {
  it('share 200 queued runs and execute each exactly once', async () => {
    const sim = await new OpenStackSimulator({ policy: 'creator' }).start();
    try {
      const org = await makeOrg();
      const clouds = [];
      for (let i = 0; i < 200; i++) clouds.push(await makeCloud(org.id));
      const runIds: string[] = [];
      for (const c of clouds) {
        const { run } = await createRun(
          staff(),
          { slug: c.slug },
          { trigger: 'schedule', testcases: ['scs-0116-presence'] },
        );
        runIds.push(run.id);
      }
      // Queue everything first, twice over (a duplicate send must not run anything twice).
      for (const id of runIds) await enqueueRun(id);
      for (const id of runIds.slice(0, 50)) await enqueueRun(id);
      const file = writeConfigs({ '*': simulatorCloud(sim, 'member') });
      const env = { RUN_HEARTBEAT_MS: '1000', WORKER_CONCURRENCY: '8' };
      const [a, b] = await Promise.all([spawnWorker(file, env), spawnWorker(file, env)]);
      children.push(a, b);
      await waitFor(
        async () => (await db.run.count({ where: { id: { in: runIds }, status: 'finished' } })) === 200,
        // Generous: this asserts exactly-once sharing, not speed (12 s alone; a loaded CI machine is slower).
        180_000,
        250,
      );
      const runs = await db.run.findMany({ where: { id: { in: runIds } }, select: { claims: true, workerId: true } });
      expect(runs.every((r) => r.claims === 1)).toBe(true);
      const perWorker = new Map<string, number>();
      for (const r of runs) perWorker.set(r.workerId!, (perWorker.get(r.workerId!) ?? 0) + 1);
      expect(new Set(perWorker.keys())).toEqual(new Set([a.id, b.id]));
      for (const n of perWorker.values()) expect(n).toBeGreaterThan(20);
      // Each execution authenticates once: exactly 200 token requests reached the cloud.
      expect(
        sim.log.filter((l) => l.service === 'keystone' && l.method === 'POST' && l.path.startsWith('/v3/auth/tokens'))
          .length,
      ).toBe(200);
      expect(await db.runResult.count({ where: { runId: { in: runIds } } })).toBe(200);
    } finally {
      for (const c of children.splice(0)) await c.stop();
      await sim.stop();
    }
  }, 240_000);
});
