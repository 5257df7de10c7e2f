// Live progress across processes: the worker (wherever it runs) writes progress and results to
// the run row and sends NOTIFY run_progress; each web process keeps ONE listening connection and
// fans the pings out to its open event streams, which then read the run's state from the
// database. A reload mid-run therefore starts from the stored state, and nothing is lost when a
// ping is (pings only say "look again"; streams also look every few seconds).

import { EventEmitter } from 'node:events';
import pg from 'pg';
import { config } from '../config';
import { poolTimeouts } from '../db/pool';

const CHANNEL = 'run_progress';

interface ListenerState {
  emitter: EventEmitter;
  client: pg.Client | null;
  connecting: Promise<void> | null;
}

const g = globalThis as unknown as { scsRunProgress?: ListenerState };

function state(): ListenerState {
  g.scsRunProgress ??= { emitter: new EventEmitter().setMaxListeners(0), client: null, connecting: null };
  return g.scsRunProgress;
}

async function ensureListening(): Promise<void> {
  const s = state();
  if (s.client) return;
  s.connecting ??= (async () => {
    const { connectionTimeoutMillis } = poolTimeouts();
    const client = new pg.Client({ connectionString: config().DATABASE_URL, connectionTimeoutMillis });
    client.on('notification', (m) => {
      if (m.channel === CHANNEL && m.payload) s.emitter.emit(m.payload);
    });
    client.on('error', () => {
      s.client = null;
      client.end().catch(() => {});
    });
    client.on('end', () => {
      if (s.client === client) s.client = null;
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    s.client = client;
  })().finally(() => {
    s.connecting = null;
  });
  await s.connecting;
}

/** Calls onChange whenever the run may have changed; returns the unsubscribe function. */
export async function subscribeRun(runId: string, onChange: () => void): Promise<() => void> {
  const s = state();
  s.emitter.on(runId, onChange);
  try {
    await ensureListening();
  } catch {
    // Without LISTEN the stream still polls.
  }
  return () => {
    s.emitter.off(runId, onChange);
  };
}
