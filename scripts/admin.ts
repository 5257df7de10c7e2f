// `npm run --silent admin -- <command>`: operator tasks against the app's database (embedded or
// DATABASE_URL), also while the app is running. Acts as the system actor "admin-cli", so the
// audit log says who did it.
//
//   create-token <email> [--days N] [--name NAME]
//       prints a new API token for that user on stdout (nothing else)
//   create-user <email> --role <admin|reviewer|csp> [--org <slug>]... [--name NAME] [--password-stdin]
//       creates the user; without --password-stdin prints the generated password on stdout, once
//
// Exit codes: 0 done, 1 failed (unknown email, taken email, ...), 2 usage error.
import { parseArgs } from 'node:util';
import { connectDatabase } from '../lib/db/connect';
import type { EmbeddedDatabase } from '../lib/db/embedded';
import { loadConfig } from '../lib/config';

// A bad setting stops here, naming the variable (lib/config.ts).
loadConfig();

const USAGE = [
  'usage: npm run --silent admin -- create-token <email> [--days N] [--name NAME]',
  '       npm run --silent admin -- create-user <email> --role <admin|reviewer|csp> [--org <slug>]... [--name NAME] [--password-stdin]',
].join('\n');

class UsageError extends Error {}
class Failure extends Error {}

type Command =
  | { cmd: 'create-token'; email: string; days?: number; name: string }
  | {
      cmd: 'create-user';
      email: string;
      role: 'admin' | 'reviewer' | 'csp';
      orgs: string[];
      name: string;
      passwordStdin: boolean;
    };

function parse(argv: string[]): Command | 'help' {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') return 'help';
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options:
        cmd === 'create-token'
          ? { days: { type: 'string' }, name: { type: 'string' } }
          : {
              role: { type: 'string' },
              org: { type: 'string', multiple: true },
              name: { type: 'string' },
              'password-stdin': { type: 'boolean' },
            },
    });
  } catch (err) {
    // Node's messages run on ("... To specify a positional argument ..."): keep the first sentence.
    throw new UsageError((err instanceof Error ? err.message : String(err)).split(/\.\s/)[0].replace(/\.$/, ''));
  }
  const { values, positionals } = parsed as {
    values: Record<string, string | string[] | boolean | undefined>;
    positionals: string[];
  };
  if (cmd !== 'create-token' && cmd !== 'create-user') throw new UsageError(`unknown command "${cmd}"`);
  if (positionals.length !== 1) throw new UsageError(`${cmd} takes exactly one email address`);
  const email = positionals[0].trim().toLowerCase();
  if (cmd === 'create-token') {
    let days: number | undefined;
    if (values.days !== undefined) {
      days = Number(values.days);
      if (!/^\d+$/.test(String(values.days)) || days < 1)
        throw new UsageError('--days must be a whole number of days (1-365)');
    }
    return {
      cmd,
      email,
      days,
      name: (values.name as string | undefined) ?? `admin-cli ${new Date().toISOString().slice(0, 10)}`,
    };
  }
  const role = values.role as string | undefined;
  if (!role) throw new UsageError('create-user needs --role admin, reviewer or csp');
  if (role !== 'admin' && role !== 'reviewer' && role !== 'csp')
    throw new UsageError(`--role must be admin, reviewer or csp, not "${role}"`);
  return {
    cmd,
    email,
    role,
    orgs: (values.org as string[] | undefined) ?? [],
    name: (values.name as string | undefined) ?? '',
    passwordStdin: !!values['password-stdin'],
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** One line: the message, and the fields a validation error names. */
async function describe(err: unknown): Promise<string> {
  const { AppError } = await import('../lib/errors');
  if (err instanceof AppError) {
    const fields = err.fields
      ? Object.entries(err.fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ')
      : '';
    return fields ? `${err.message} (${fields})` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

async function run(command: Command): Promise<void> {
  const { db } = await import('../lib/db');
  const { systemActor } = await import('../lib/auth/policy');
  const ctx = { actor: systemActor('admin-cli'), clientAddress: null };

  if (command.cmd === 'create-token') {
    const { createToken } = await import('../lib/tokens');
    const user = await db.user.findUnique({ where: { email: command.email } });
    if (!user) throw new Failure(`no user with email ${command.email}`);
    if (!user.active) throw new Failure(`${command.email} is deactivated; a token would not work`);
    const t = await createToken(ctx, user.id, { name: command.name, ...(command.days ? { days: command.days } : {}) });
    process.stdout.write(`${t.token}\n`);
    return;
  }

  const { createUser } = await import('../lib/users');
  const { generatePassword } = await import('../lib/auth/password');
  let password: string;
  let generated = false;
  if (command.passwordStdin) {
    password = await readStdin();
    if (!password) throw new UsageError('--password-stdin: no password on standard input');
  } else {
    password = generatePassword();
    generated = true;
  }
  const u = await createUser(ctx, {
    email: command.email,
    name: command.name,
    role: command.role,
    organizations: command.orgs,
    password,
  });
  const orgs = u.organizations.map((o) => o.slug).join(', ');
  process.stderr.write(
    `created ${u.role} user ${u.email}${orgs ? ` in ${orgs}` : ''}${generated ? '; its password (shown once):' : ''}\n`,
  );
  if (generated) process.stdout.write(`${password}\n`);
}

async function main(): Promise<number> {
  let command: Command | 'help';
  try {
    command = parse(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`admin: ${(err as Error).message} (see: npm run --silent admin -- help)\n`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return process.argv[2] ? 0 : 2;
  }

  let database: EmbeddedDatabase | undefined;
  try {
    database = await connectDatabase();
    if (database.owned) {
      // Nobody else runs the database: make sure its schema is current before writing to it.
      const { applyMigrations } = await import('../lib/db/migrate');
      await applyMigrations(database.url);
    }
    await run(command);
    return 0;
  } catch (err) {
    process.stderr.write(`admin: ${(await describe(err)).replace(/\s*\n\s*/g, ' ')}\n`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    const { db } = await import('../lib/db');
    await db.$disconnect().catch(() => {});
    // Stops the embedded PostgreSQL only when this process started it (a no-op otherwise).
    await database?.stop().catch(() => {});
  }
}

// Explicit exit: nothing (pools, timers) may keep the process alive.
process.exit(await main());
