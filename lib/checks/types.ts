// The vocabulary of a check run, in one module so the server can persist exactly these shapes:
// what a cloud configuration contains, what a result and a run report look like (what a check
// declares is definition.ts). Verdict words are SCS's own (PASS, FAIL, ABORT).

import type { AuthConfig, Evidence, Timeouts } from '../openstack';

export type { AuthConfig, Evidence, Timeouts } from '../openstack';
export type { ApplicationCredentialAuth, PasswordAuth } from '../openstack';

export type Verdict = 'PASS' | 'FAIL' | 'ABORT';

/** How the SCS spec lists a testcase: mandatory ("main"), recommended, or our own informational checks. */
export type CheckTarget = 'mandatory' | 'recommended' | 'informational';

/** Result lifetimes of scs_cert_lib.add_period (SCS-0004 regulations 2 and 3). */
export type ResultLifetime = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** Extra credentials some informational checks need. */
export type PersonaName = 'reader' | 'otherProject';

export interface CloudConfig {
  /** The credential under test: a plain member of the project (the official testcases ABORT otherwise). */
  auth: AuthConfig;
  /** Region under test; without one, any region counts (as in the official suite). */
  region?: string;
  /** Endpoint interface, public by default. */
  interface?: 'public' | 'internal' | 'admin';
  /** PEM bundle of CAs to trust for this cloud. */
  caBundle?: string;
  /** Skip TLS verification. Audited: reported in the run report as a warning. */
  insecure?: boolean;
  /** Allow loopback/private endpoint addresses (link-local and metadata addresses are always refused). */
  allowPrivateAddresses?: boolean;
  timeouts?: Partial<Timeouts>;
  /** Maximum response body size in bytes (default 5 MB). */
  maxBodyBytes?: number;
  personas?: {
    /** A user with only the reader role in the same project. */
    reader?: AuthConfig;
    /** A member of another project, for the isolation checks. */
    otherProject?: AuthConfig;
  };
  /** Sent as `OpenStack-API-Version: key-manager X.Y` when set. */
  keyManagerMicroversion?: string;
  /** Bounds of the whole run (defaults: DEFAULT_RUN_LIMITS). */
  limits?: Partial<RunLimits>;
}

/** How long a run may take as a whole; per-request timeouts are `timeouts`. */
export interface RunLimits {
  /** Every check together; checks still pending when it passes ABORT. The sweep runs afterwards regardless. */
  runMs: number;
  /** How long the sweep watches for an object whose create got no answer to appear after all. */
  lateCreateMs: number;
}

export interface CheckOutcome {
  verdict: Verdict;
  /** One sentence a CSP operator can act on. */
  message: string;
  details?: Record<string, unknown>;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  title: string;
  clause: string;
  target: CheckTarget;
  lifetime: ResultLifetime;
  details: Record<string, unknown>;
  evidence: Evidence[];
  startedAt: string;
  durationMs: number;
}

export type LeftoverKind = 'secret' | 'order' | 'container';

export interface Leftover {
  kind: LeftoverKind;
  uuid: string;
  name: string | null;
  /** The check that created it, when known ("earlier run" for stale objects). */
  createdBy: string;
  /** True when the sweep deleted it; false when it is still in the cloud. */
  deleted: boolean;
  /** Why it was left or could not be deleted. */
  reason: string;
  /** Left because Barbican's policy forbids this credential to delete it (orders, by default). */
  keptByPolicy?: boolean;
}

export type RunEvent =
  | { type: 'run-started'; runId: string; namePrefix: string; checks: string[] }
  | { type: 'check-started'; id: string; title: string }
  | { type: 'exchange'; checkId: string | null; evidence: Evidence }
  | { type: 'check-finished'; result: CheckResult }
  | { type: 'sweep-finished'; leftovers: Leftover[] };

export interface RunOptions {
  cloud: CloudConfig;
  /** Check ids to run; default: every registered check whose personas are configured. */
  ids?: string[];
  onEvent?: (event: RunEvent) => void;
  signal?: AbortSignal;
  /** Identifies the run in object names (default: random); the server may pass its run id. */
  runId?: string;
  /** Source of random payload bytes; tests inject canaries here. */
  randomBytes?: (size: number) => Buffer;
}

export interface RunReport {
  runId: string;
  /** Every object a check creates is named with this prefix. */
  namePrefix: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  results: CheckResult[];
  /** Role names of the credential under test (empty when authentication failed). */
  roles: string[];
  region: string | null;
  interface: 'public' | 'internal' | 'admin';
  endpoints: { identity: string | null; keyManager: string | null };
  /** Objects found after the checks ran, and whether the sweep deleted them. */
  leftovers: Leftover[];
  /** Exchanges of the leftover sweep (empty when nothing needed sweeping). */
  sweepEvidence: Evidence[];
  tls: { verification: 'verified' | 'skipped'; customCaBundle: boolean };
  allowPrivateAddresses: boolean;
  /** Conditions the server should show to a person (e.g. TLS verification switched off). */
  warnings: string[];
}
