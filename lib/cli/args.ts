// Command-line arguments of km-check. The options the official openstack_test.py takes
// (-c/--os-cloud, -s/--subject, testcase ids, "-" for ids on stdin) work the same, so km-check
// can stand in for it as the executable of an SCS spec.

import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliArgs {
  cloud?: string;
  subject?: string;
  region?: string;
  interface?: string;
  cacert?: string;
  insecure: boolean;
  readerCloud?: string;
  otherProjectCloud?: string;
  noPrivate: boolean;
  timeouts: { connectMs?: number; headersMs?: number; bodyMs?: number };
  json: boolean;
  verbose: boolean;
  list: boolean;
  all: boolean;
  help: boolean;
  ids: string[];
  idsFromStdin: boolean;
}

export const USAGE = `Usage: km-check [options] [testcase-id ...]

Runs the scs-0116 key-manager checks against an OpenStack cloud and prints one line per
testcase ("scs-0116-presence: PASS"). Without ids, the two official testcases run
(scs-0116-presence, scs-0116-permissions); --all adds the informational km-* checks.

Cloud selection (as the OpenStack client does):
  -c, --os-cloud NAME          cloud from clouds.yaml/secure.yaml (default: $OS_CLOUD;
                               without either, the OS_* variables of an openrc file)
      --os-region-name REGION  region under test (overrides the cloud's region_name)
      --os-interface IFACE     public (default), internal or admin
      --os-cacert FILE         PEM bundle of CAs to trust
      --insecure               skip TLS verification (reported as a warning)
      --no-private             refuse loopback/private endpoint addresses (allowed by
                               default on your own machine; link-local/metadata addresses
                               such as 169.254.169.254 are always refused)
Optional extra credentials (clouds.yaml names) for informational checks:
      --reader-cloud NAME          a reader-only user of the same project
      --other-project-cloud NAME   a member of another project
Timeouts in seconds: --connect-timeout 30  --headers-timeout 60  --body-timeout 60
Output:
      --json                   full results with redacted evidence as JSON on stdout
  -v, --verbose                each request on stderr as it happens
  -s, --subject NAME           subject name recorded in --json output
      --all                    run every check, not only the official testcases
      --list                   list the check ids and exit
  -h, --help                   this help
  A single "-" instead of ids reads the ids from stdin, one per line.

Exit status: 0 when the checks ran (the verdicts are in the output), 2 for usage or
configuration errors, 1 for unexpected internal errors.`;

function seconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600)
    throw new UsageError(`--${name} needs a number of seconds between 0 and 600, got "${value}".`);
  return Math.round(n * 1000);
}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'os-cloud': { type: 'string', short: 'c' },
        subject: { type: 'string', short: 's' },
        'os-region-name': { type: 'string' },
        'os-interface': { type: 'string' },
        'os-cacert': { type: 'string' },
        insecure: { type: 'boolean', default: false },
        'reader-cloud': { type: 'string' },
        'other-project-cloud': { type: 'string' },
        'no-private': { type: 'boolean', default: false },
        'connect-timeout': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'body-timeout': { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', short: 'v', default: false },
        list: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
  const v = parsed.values;
  const positionals = parsed.positionals;
  const idsFromStdin = positionals.length === 1 && positionals[0] === '-';
  return {
    cloud: v['os-cloud'],
    subject: v.subject,
    region: v['os-region-name'],
    interface: v['os-interface'],
    cacert: v['os-cacert'],
    insecure: v.insecure === true,
    readerCloud: v['reader-cloud'],
    otherProjectCloud: v['other-project-cloud'],
    noPrivate: v['no-private'] === true,
    timeouts: {
      connectMs: seconds('connect-timeout', v['connect-timeout']),
      headersMs: seconds('headers-timeout', v['headers-timeout']),
      bodyMs: seconds('body-timeout', v['body-timeout']),
    },
    json: v.json === true,
    verbose: v.verbose === true,
    list: v.list === true,
    all: v.all === true,
    help: v.help === true,
    ids: idsFromStdin ? [] : positionals,
    idsFromStdin,
  };
}
