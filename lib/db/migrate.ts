import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { migrationNames } from './migrate-state';
import { now as clockNow } from '../clock';

/**
 * Migrations without internet: the prisma CLI downloads a native schema engine, which CI
 * and these machines cannot do, so we drive Prisma's own schema engine compiled to WASM
 * (same commit as the CLI) through adapter-pg. It writes and reads the standard
 * prisma/migrations folders and `_prisma_migrations` rows, so the normal CLI stays compatible.
 */
const require = createRequire(import.meta.url);
const root = process.cwd();
const schemaPath = path.join(root, 'prisma/schema.prisma');
export const migrationsDir = path.join(root, 'prisma/migrations');
const filters = { externalTables: [], externalEnums: [] };

interface Engine {
  diff(args: unknown): Promise<{ stdout?: string; script?: string }>;
  applyMigrations(args: unknown): Promise<{ appliedMigrationNames: string[] }>;
  free?(): void;
}

// The engine's JavaScript glue is one module with one memory: instantiate the WASM once per
// process (a second instance under the same glue corrupts it), and create an engine per call.
let glue: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } }> | null = null;

function engineGlue() {
  glue ??= (async () => {
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bg = await import(bgPath);
    const wasm = fs.readFileSync(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
    // The engine arms 10 s timers it never clears; unref them so a finished migration does not
    // keep a short-lived process (db:migrate, the admin CLI, the test runner) alive for 10 s.
    const imports: Record<string, unknown> = { ...bg };
    for (const k of Object.keys(bg)) {
      if (k.startsWith('__wbg_setTimeout_')) {
        imports[k] = (fn: () => void, ms: number) => {
          const t = setTimeout(fn, ms >>> 0);
          t.unref();
          return t;
        };
      }
    }
    const { instance } = await WebAssembly.instantiate(wasm, {
      './schema_engine_bg.js': imports as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bg;
  })();
  return glue;
}

async function loadEngine(url: string, schema: string): Promise<{ engine: Engine; pool: pg.Pool }> {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    set_message(m: string) {
      (this as { message: string }).message = m;
    },
  };
  const bg = await engineGlue();
  // Our own pool, ended when done, for the same reason (pg's idle timeout is 10 s).
  const pool = new pg.Pool({ connectionString: url });
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  return { engine: await bg.SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter), pool };
}

function migrationsList(names = migrationNames(migrationsDir)) {
  fs.mkdirSync(migrationsDir, { recursive: true });
  const lock = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((d) => ({
      path: d,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: fs.readFileSync(path.join(migrationsDir, d, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

/**
 * A data step: a migration folder may hold `before.ts`, run right before that migration's SQL (every
 * earlier migration applied), for what SQL cannot do, such as sealing secrets with the vault. Its
 * default export takes a pg pool on the database. It must be idempotent: when it or the migration
 * fails, the next start runs it again. The migration's SQL should check that the step did its work.
 */
export type DataStep = (pool: pg.Pool) => Promise<void>;

const DATA_STEP = 'before.ts';

async function isApplied(pool: pg.Pool, name: string): Promise<boolean> {
  try {
    const r = await pool.query(
      'SELECT 1 FROM _prisma_migrations WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
      [name],
    );
    return (r.rowCount ?? 0) > 0;
  } catch {
    return false; // a fresh database has no _prisma_migrations yet
  }
}

/**
 * Applies every pending migration (up to and including `until`, for tests of a migration on data
 * written by the schema before it), running data steps where migrations have them; returns the
 * names applied now.
 */
export async function applyMigrations(url: string, opts: { until?: string } = {}): Promise<string[]> {
  const schema = fs.readFileSync(schemaPath, 'utf8');
  const { engine, pool } = await loadEngine(url, schema);
  try {
    const names = migrationNames(migrationsDir).filter((n) => !opts.until || n <= opts.until);
    const applied: string[] = [];
    for (const name of names) {
      const step = path.join(migrationsDir, name, DATA_STEP);
      if (!fs.existsSync(step) || (await isApplied(pool, name))) continue;
      const before = names.filter((n) => n < name);
      applied.push(
        ...(await engine.applyMigrations({ migrationsList: migrationsList(before), filters })).appliedMigrationNames,
      );
      const run = (await import(/* turbopackIgnore: true */ pathToFileURL(step).href)).default as DataStep;
      await run(pool);
    }
    applied.push(
      ...(await engine.applyMigrations({ migrationsList: migrationsList(names), filters })).appliedMigrationNames,
    );
    return applied;
  } finally {
    engine.free?.();
    await pool.end();
  }
}

/**
 * Authors a migration from the difference between the schema snapshot stored with the last
 * migration and the current schema.prisma (offline: no shadow database), then applies it.
 */
export async function createMigration(url: string, name: string): Promise<string | null> {
  const schema = fs.readFileSync(schemaPath, 'utf8');
  const { engine, pool } = await loadEngine(url, schema);
  try {
    const last = migrationNames(migrationsDir)
      .filter((d) => fs.existsSync(path.join(migrationsDir, d, 'schema.snapshot.prisma')))
      .pop();
    const from = last
      ? {
          tag: 'schemaDatamodel',
          files: [
            {
              path: schemaPath,
              content: fs.readFileSync(path.join(migrationsDir, last, 'schema.snapshot.prisma'), 'utf8'),
            },
          ],
        }
      : { tag: 'empty' };
    const diff = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters,
    });
    const sql = diff.stdout ?? diff.script ?? '';
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) return null;
    const ts = clockNow().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${ts}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    fs.writeFileSync(path.join(dir, 'schema.snapshot.prisma'), schema);
    fs.writeFileSync(
      path.join(migrationsDir, 'migration_lock.toml'),
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
    await engine.applyMigrations({ migrationsList: migrationsList(), filters });
    return path.basename(dir);
  } finally {
    engine.free?.();
    await pool.end();
  }
}
