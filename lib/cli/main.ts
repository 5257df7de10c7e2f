// km-check: the scs-0116 checks on an operator's own machine, through exactly the code the
// server runs (lib/checks runChecks over lib/openstack).
//
// A drop-in for the official openstack_test.py as the executable of a scope file's key-manager
// testcases: the same stdout lines in the order the ids were given, log lines on stderr, and on a
// pre-flight refusal (no such cloud, authentication failed, missing member role, admin or manager)
// every testcase ABORT plus CRITICAL lines and exit 1, as upstream (lib/checks/invocation.ts).
// Without any cloud selected it prints one CRITICAL line and exits 1, as upstream; usage errors
// (options, their values) exit 2.
//
// Private addresses: the CLI runs on the user's machine against the user's cloud, often on a
// private network or a lab on loopback, so loopback and private endpoint addresses are allowed
// by default (--no-private or allow_private_addresses: false refuse them). Link-local and
// metadata addresses (169.254.0.0/16, fe80::/10) stay refused: a catalog pointing there is never
// a key manager.

import { ConfigError } from '../openstack';
import { CHECKS, OFFICIAL_TESTCASE_IDS, UnknownCheckError, runChecks } from '../checks';
import type { CloudConfig, RunEvent, RunReport } from '../checks/types';
import { USAGE, UsageError, parseCliArgs, type CliArgs } from './args';
import { loadEnvCloud, loadNamedCloud, readCaBundle, type ConfigEnvironment, type LoadedCloud } from './clouds-config';
import { formatExchange } from './output';
import { invocationOutput } from '../checks/invocation';

export interface CliIo extends ConfigEnvironment {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  readStdin: () => Promise<string>;
  signal?: AbortSignal;
}

export const EXIT_OK = 0;
/** Internal errors and pre-flight refusals, as openstack_test.py exits after its CRITICAL lines. */
export const EXIT_INTERNAL = 1;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export async function main(argv: string[], io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    return usageError(io, err);
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (args.list) {
    for (const c of CHECKS)
      io.stdout.write(
        `${c.id}\t${c.target}\t${c.title}${c.persona ? ` (needs --${c.persona === 'reader' ? 'reader' : 'other-project'}-cloud)` : ''}\n`,
      );
    return EXIT_OK;
  }

  let ids = args.ids;
  if (args.idsFromStdin)
    ids = (await io.readStdin())
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  // Like openstack_test.py: unknown ids are reported and ignored, known ones still run.
  const known = new Set(CHECKS.map((c) => c.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) io.stderr.write(`WARNING: ignoring unknown testcases: ${unknown.join(',')}\n`);
  ids = ids.filter((id) => known.has(id));
  if (unknown.length > 0 && ids.length === 0)
    return usageError(io, new UsageError(`no known testcase among ${unknown.join(', ')} (see --list).`));
  if (args.all && ids.length > 0) return usageError(io, new UsageError('give either testcase ids or --all, not both.'));
  // Without ids: the official testcases, as the SCS spec runs them; --all: every check (the
  // informational ones create a few more objects, and an order record that members of a
  // default-policy Barbican cannot delete).
  const selected: string[] | undefined = args.all ? undefined : ids.length > 0 ? ids : [...OFFICIAL_TESTCASE_IDS];

  let loaded: LoadedCloud;
  let cloud: CloudConfig;
  try {
    loaded = selectCloud(args, io);
    cloud = applyOverrides(loaded.cloud, args, io);
  } catch (err) {
    if (err instanceof UsageError) return usageError(io, err);
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    if (err instanceof NoCloudError) {
      io.stderr.write(`CRITICAL: ${why}\n`);
      return EXIT_REFUSED;
    }
    // The cloud cannot be loaded (unknown name, broken clouds.yaml): the official script's pre-flight
    // fails on its connection the same way and reports every testcase ABORT.
    const out = invocationOutput({
      results: (selected ?? CHECKS.map((c) => c.id)).map((id) => ({
        id,
        verdict: 'ABORT' as const,
        message: why,
        details: { preflight: true, config: true },
      })),
    });
    if (!args.json) io.stdout.write(lines(out.stdout));
    io.stderr.write(lines(out.stderr));
    return EXIT_REFUSED;
  }

  const onEvent = (event: RunEvent) => {
    if (args.verbose && event.type === 'exchange') io.stderr.write(`${formatExchange(event.evidence)}\n`);
  };
  let report: RunReport;
  try {
    report = await runChecks({ cloud, ids: selected, onEvent, signal: io.signal });
  } catch (err) {
    if (err instanceof UnknownCheckError) return usageError(io, err);
    io.stderr.write(`CRITICAL: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_INTERNAL;
  }

  // The order the ids were asked for, as openstack_test.py prints them (the checks ran in registry order).
  const order = new Map((selected ?? []).map((id, i) => [id, i]));
  const results = [...report.results].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const out = invocationOutput({ ...report, results });
  if (args.json) {
    io.stdout.write(
      `${JSON.stringify({ subject: args.subject ?? loaded.name, cloud: loaded.name, configSource: loaded.source, ...report }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(lines(out.stdout));
  }
  io.stderr.write(lines(out.stderr));
  return out.refused ? EXIT_REFUSED : EXIT_OK;
}

const lines = (l: string[]) => l.map((x) => `${x}\n`).join('');

/** Neither --os-cloud, OS_CLOUD nor openrc variables: upstream's "You need to have OS_CLOUD set". */
class NoCloudError extends ConfigError {}

function usageError(io: CliIo, err: unknown): number {
  const msg = err instanceof Error ? err.message : String(err);
  io.stderr.write(`km-check: ${msg.split('\n')[0]}${err instanceof UsageError ? ' (see --help)' : ''}\n`);
  return EXIT_USAGE;
}

function selectCloud(args: CliArgs, io: CliIo): LoadedCloud {
  const name = args.cloud ?? io.env.OS_CLOUD;
  if (name) return loadNamedCloud(name, io);
  const env = loadEnvCloud(io);
  if (env) return env;
  throw new NoCloudError(
    'You need to have OS_CLOUD set or pass --os-cloud=CLOUD (or source an openrc file: OS_AUTH_URL, ...).',
  );
}

function applyOverrides(base: CloudConfig, args: CliArgs, io: CliIo): CloudConfig {
  const cloud: CloudConfig = { ...base };
  if (args.region) cloud.region = args.region;
  if (args.interface) {
    const v = args.interface.toLowerCase().replace(/url$/, '');
    if (v !== 'public' && v !== 'internal' && v !== 'admin')
      throw new UsageError(`--os-interface must be public, internal or admin, got "${args.interface}".`);
    cloud.interface = v;
  }
  if (args.cacert) cloud.caBundle = readCaBundle(args.cacert, 'command line', io);
  if (args.insecure) cloud.insecure = true;
  // The user's own machine: private addresses unless refused explicitly (see the header).
  if (args.noPrivate) cloud.allowPrivateAddresses = false;
  else cloud.allowPrivateAddresses ??= true;
  const timeouts = Object.fromEntries(Object.entries(args.timeouts).filter(([, v]) => v !== undefined));
  if (Object.keys(timeouts).length > 0) cloud.timeouts = { ...cloud.timeouts, ...timeouts };
  const personas: NonNullable<CloudConfig['personas']> = {};
  if (args.readerCloud) personas.reader = loadNamedCloud(args.readerCloud, io).cloud.auth;
  if (args.otherProjectCloud) personas.otherProject = loadNamedCloud(args.otherProjectCloud, io).cloud.auth;
  if (personas.reader || personas.otherProject) cloud.personas = personas;
  return cloud;
}
