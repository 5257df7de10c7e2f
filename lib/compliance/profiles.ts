// The verdict profiles: which testcases decide, warn or are only shown, and how long results hold.
//
// - Official: one profile per version of the SCS scope (scope.ts, upstream's scs-compatible-iaas.yaml)
//   that the timeline names on the day and that includes a key-manager module, e.g.
//   `scs-compatible-iaas/v5.1`. Only its `main` testcases decide, `recommended` ones warn, `preview`
//   ones are shown. The version's other modules (flavours, images, ...) are outside this dashboard.
// - `scs-0116-v1`, this dashboard's full profile and the basis of certificates (SCS-0004 asks for the
//   manual checks every quarter): scs-0116-permissions mandatory, scs-0116-presence recommended, the
//   manual key-manager-docs-check (the approved attestation) mandatory.
// - `scs-0116-draft`, the earlier draft of the standard (everything a SHOULD): informational.
// Every profile shows the km-* checks as informational rows. Lifetimes come from the check
// definitions (one source; tests/unit/scope.test.ts holds them equal to the scope file's), the
// manual testcase's from its approval (lib/attestations).

import { CHECKS } from '../checks/registry';
import type { ResultLifetime } from '../checks/types';
import { automatedTestcases, scope, validityAt, type Target, type Validity } from './scope';

export type Requirement = 'mandatory' | 'recommended' | 'preview' | 'informational';

export interface TestcaseSpec {
  id: string;
  title: string;
  requirement: Requirement;
  /** automated: SCS lifetime (add_period); manual: the approval's own expiry. */
  kind: 'automated' | 'manual';
  lifetime: ResultLifetime;
  url: string;
}

export interface Profile {
  /** `scs-0116-v1`, `scs-0116-draft`, or `scs-compatible-iaas/<version>`. */
  id: string;
  kind: 'official' | 'dashboard';
  name: string;
  /** A short label for table columns. */
  short: string;
  url: string;
  /** Whether a certificate can be granted for it (only the full profile). */
  certifiable: boolean;
  /** Official versions: their validity on the day (draft versions are shown, never decide). Ours: effective. */
  validity: Validity;
  /** Shown for information only (the earlier draft). */
  informational: boolean;
  testcases: TestcaseSpec[];
}

export const HEADLINE_PROFILE = 'scs-0116-v1';
export const DRAFT_PROFILE = 'scs-0116-draft';
export const MANUAL_TESTCASE = 'key-manager-docs-check';
export const MANUAL_LIFETIME: ResultLifetime = 'quarter';
export const OFFICIAL_PREFIX = 'scs-compatible-iaas/';

const STANDARD_URL = 'https://docs.scs.community/standards/scs-0116-v1-key-manager-standard';
const REQUIREMENT: Record<Target, Requirement> = { main: 'mandatory', recommended: 'recommended', preview: 'preview' };

function spec(id: string, requirement: Requirement): TestcaseSpec {
  const tc = scope().testcases.find((t) => t.id === id);
  const check = CHECKS.find((c) => c.id === id);
  if (tc?.manual)
    return {
      id,
      title: 'Master-KEK documentation (manual)',
      requirement,
      kind: 'manual',
      lifetime: MANUAL_LIFETIME,
      url: tc.url,
    };
  if (!check) throw new Error(`no check definition for testcase ${id}`);
  return { id, title: check.title, requirement, kind: 'automated', lifetime: check.lifetime, url: tc?.url ?? '' };
}

/** The automated testcases of the official scope: what every profile's verdicts are read from. */
export const VERDICT_TESTCASES: string[] = automatedTestcases(scope()).map((t) => t.id);
/** Our own km-* checks: shown in every profile, never deciding. */
export const INFORMATIONAL_TESTCASES: string[] = CHECKS.map((c) => c.id).filter(
  (id) => !VERDICT_TESTCASES.includes(id),
);
const informational = () => INFORMATIONAL_TESTCASES.map((id) => spec(id, 'informational'));

const DASHBOARD: readonly Profile[] = Object.freeze([
  {
    id: HEADLINE_PROFILE,
    kind: 'dashboard',
    name: 'SCS Key Manager Standard v1, full profile (scs-0116-v1)',
    short: 'scs-0116 v1',
    url: STANDARD_URL,
    certifiable: true,
    validity: 'effective',
    informational: false,
    testcases: [
      spec('scs-0116-permissions', 'mandatory'),
      spec('scs-0116-presence', 'recommended'),
      spec(MANUAL_TESTCASE, 'mandatory'),
      ...informational(),
    ],
  },
  {
    id: DRAFT_PROFILE,
    kind: 'dashboard',
    name: 'SCS Key Manager Standard, earlier draft (everything SHOULD, informational)',
    short: 'draft',
    url: STANDARD_URL,
    certifiable: false,
    validity: 'effective',
    informational: true,
    testcases: [
      spec('scs-0116-presence', 'recommended'),
      spec('scs-0116-permissions', 'recommended'),
      spec(MANUAL_TESTCASE, 'recommended'),
      ...informational(),
    ],
  },
]);

const officialCache = new Map<string, Profile[]>();

/**
 * The official profiles on the UTC day of `at`: every version the timeline names that day (upstream
 * evaluates exactly those), in the scope file's order, that includes a key-manager module.
 */
export function officialProfiles(at: Date): Profile[] {
  const day = at.toISOString().slice(0, 10);
  const hit = officialCache.get(day);
  if (hit) return hit;
  const s = scope();
  const validity = validityAt(s, at);
  const out: Profile[] = [];
  for (const v of s.versions) {
    const valid = validity.get(v.version);
    const tcs = Object.entries(v.tcTarget);
    if (!valid || tcs.length === 0) continue;
    const modules = v.include.map((id) => s.modules.find((m) => m.id === id)!);
    out.push({
      id: `${OFFICIAL_PREFIX}${v.version}`,
      kind: 'official',
      name: `${s.name} ${v.version} (${valid}), module ${v.include.join(', ')}`,
      short: `SCS ${v.version}`,
      url: modules[0]?.url ?? STANDARD_URL,
      certifiable: false,
      validity: valid,
      informational: false,
      testcases: tcs.map(([id, target]) => spec(id, REQUIREMENT[target])),
    });
  }
  if (officialCache.size > 64) officialCache.clear();
  officialCache.set(day, out);
  return out;
}

export function dashboardProfiles(): readonly Profile[] {
  return DASHBOARD;
}

/** Every profile evaluated at `at`: the official versions of that day, then ours. */
export function profilesAt(at: Date): Profile[] {
  return [...officialProfiles(at), ...DASHBOARD];
}

export function getProfile(id: string, at: Date): Profile | undefined {
  return profilesAt(at).find((p) => p.id === id);
}

export function isOfficial(id: string): boolean {
  return id.startsWith(OFFICIAL_PREFIX);
}

/** One of our profiles' evaluation of a cloud (the headline profile by default; official ones: `c.official`). */
export function statusOf<E extends { standard: string }>(
  c: { evaluations: E[] },
  standard: string = HEADLINE_PROFILE,
): E {
  const e = c.evaluations.find((x) => x.standard === standard);
  if (!e) throw new Error(`no evaluation of ${standard}`);
  return e;
}
