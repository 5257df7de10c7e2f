// The standards as data: which testcases a version of scs-0116 requires, how strongly, and how long
// a result stays valid. scs-0116 v1 follows Tests/scs-compatible-iaas.yaml (modules scs-0116-v1:
// main -> scs-0116-permissions; scs-0116-v1-rec: recommended -> scs-0116-presence; scs-0116-v1-manual:
// the manual key-manager-docs-check). The earlier draft of the standard phrased everything as a
// SHOULD. The km-* checks are informational: shown, never part of a verdict.

import { CHECKS, OFFICIAL_TESTCASE_IDS } from '../checks/registry';
import type { ResultLifetime } from '../checks/types';

export type Requirement = 'mandatory' | 'recommended' | 'manual' | 'informational';
export type StandardId = 'scs-0116-v1' | 'scs-0116-draft';

export interface TestcaseSpec {
  id: string;
  title: string;
  requirement: Requirement;
  /**
   * automated results: SCS lifetime (scs_cert_lib.add_period); the manual result: its approval's expiry (one quarter).
   */
  kind: 'automated' | 'manual';
  lifetime: ResultLifetime;
  url: string;
}

export interface StandardVersion {
  id: StandardId;
  name: string;
  /** A short label for table columns. */
  short: string;
  url: string;
  /** Whether a certificate can be granted for this version. */
  certifiable: boolean;
  testcases: TestcaseSpec[];
}

export const MANUAL_TESTCASE = 'key-manager-docs-check';
export const DEFAULT_AUTOMATED_LIFETIME: ResultLifetime = 'week';
export const MANUAL_LIFETIME: ResultLifetime = 'quarter';

const TESTS_URL = 'https://docs.scs.community/standards/scs-0116-w1-key-manager-implementation-testing';
const title = (id: string) => CHECKS.find((c) => c.id === id)?.title ?? id;

/** Lifetime per automated testcase: SCS's default (one week) unless a testcase says otherwise. */
export const LIFETIMES: Record<string, ResultLifetime> = {
  'scs-0116-presence': DEFAULT_AUTOMATED_LIFETIME,
  'scs-0116-permissions': DEFAULT_AUTOMATED_LIFETIME,
};

function automated(id: string, requirement: Requirement): TestcaseSpec {
  return {
    id,
    title: title(id),
    requirement,
    kind: 'automated',
    lifetime: LIFETIMES[id] ?? DEFAULT_AUTOMATED_LIFETIME,
    url: `${TESTS_URL}#automated-tests`,
  };
}
function manual(requirement: Requirement): TestcaseSpec {
  return {
    id: MANUAL_TESTCASE,
    title: 'Master-KEK documentation (manual)',
    requirement,
    kind: 'manual',
    lifetime: MANUAL_LIFETIME,
    url: `${TESTS_URL}#manual-tests`,
  };
}
const informational = CHECKS.filter((c) => !(OFFICIAL_TESTCASE_IDS as readonly string[]).includes(c.id)).map(
  (c): TestcaseSpec => ({
    id: c.id,
    title: c.title,
    requirement: 'informational',
    kind: 'automated',
    lifetime: c.lifetime,
    url: '',
  }),
);

export const STANDARDS: readonly StandardVersion[] = Object.freeze([
  {
    id: 'scs-0116-v1',
    name: 'SCS Key Manager Standard v1 (scs-0116-v1)',
    short: 'scs-0116 v1',
    url: 'https://docs.scs.community/standards/scs-0116-v1-key-manager-standard',
    certifiable: true,
    testcases: [
      automated('scs-0116-permissions', 'mandatory'),
      automated('scs-0116-presence', 'recommended'),
      manual('manual'),
      ...informational,
    ],
  },
  {
    id: 'scs-0116-draft',
    name: 'SCS Key Manager Standard, earlier draft (everything SHOULD)',
    short: 'draft',
    url: 'https://docs.scs.community/standards/scs-0116-v1-key-manager-standard',
    certifiable: false,
    testcases: [
      automated('scs-0116-presence', 'recommended'),
      automated('scs-0116-permissions', 'recommended'),
      manual('recommended'),
      ...informational,
    ],
  },
]);

export const DEFAULT_STANDARD: StandardId = 'scs-0116-v1';

export function getStandard(id: string): StandardVersion | undefined {
  return STANDARDS.find((s) => s.id === id);
}

/** The automated testcases a verdict depends on (every version): what history and the overview read. */
export const VERDICT_TESTCASES: string[] = [...OFFICIAL_TESTCASE_IDS];
