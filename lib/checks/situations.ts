// The situations a check's verdict expectations are written for. Each check definition says what
// it concludes in the situations that concern it (`expectations`); the test harnesses produce the
// situations and hold every check to its word: lib/checks/verdicts.test.ts against the OpenStack
// simulator, lab/test-lab.ts against the real Keystone + Barbican (with the official suite,
// openstack_test.py, run beside ours on the same cloud for the official testcases).

import type { Verdict } from './types';

export const SITUATIONS = {
  // Credentials
  member: 'a member of the project; Barbican maps creator to member (the SCS policy)',
  'application-credential': 'an application credential of that member',
  reader: 'a credential with only the reader role',
  admin: 'a credential with the admin role',
  manager: 'a credential with the manager role',
  'wrong-password': 'a wrong password',
  'no-project': 'a credential without a project: its token has no project scope (and no member role)',
  // Policy
  'policy-denies-member': "Barbican's upstream default policy: a member gets 403",
  // Catalog
  'no-key-manager': 'no key-manager service in the catalog',
  'other-region-only': 'key-manager endpoints only in other regions than the one under test',
  'internal-only': 'in the region under test, only an internal key-manager endpoint',
  'admin-interface-only': 'in the region under test, only an admin key-manager endpoint',
  'disabled-endpoint': "the region's key-manager endpoint is disabled (Keystone leaves it out of the catalog)",
  'no-endpoints': 'a key-manager service without any endpoint',
  // What the project holds
  'case-variant-secret': 'another user\'s secret named "SCS-Member-Role-Test-Secret" (the test name in other case)',
  // The key manager as standard clients see it (lab: a fault proxy in front of the real Barbican)
  proxy: 'the key manager behind a transparent proxy',
  'discovery-fails': 'version discovery at the versionless catalog URL answers HTTP 500',
  'discovery-no-v1': 'version discovery lists no v1 (only a v2)',
  'versioned-url-discovery-fails': 'the catalog URL ends in /v1 and version discovery answers HTTP 500',
  'foreign-next-link': 'host_href names an unreachable host, and the secrets fill more than one page',
  'foreign-host-href-one-page': 'host_href names an unreachable host, and the secrets fit on one page',
  'alias-next-link': 'host_href names the same key manager under another host name, over more than one page',
  'slow-create': 'the create of a secret is answered after 25 s',
  'late-create': 'the create gets no answer, and the secret lands 2 s after the client gave up',
  'created-secret-hidden': 'the secret list leaves out the secret just created',
  // The informational checks
  'full-check-set': 'every check, with reader and second-project personas, against a well-run Barbican over http',
  'trusted-tls': 'the key manager serves https with a certificate the run trusts, valid for 90 days',
  'zero-quota': 'a secrets quota of 0',
  'simple-crypto-backend': 'multiple stores enabled, simple_crypto the global default',
  'hsm-backend': 'multiple stores enabled, a PKCS#11 HSM the global default',
  'corrupt-payloads': 'the backend returns other bytes than were stored',
  'reader-can-write': 'a policy that lets a reader create secrets',
  'cve-2022-3100': 'a Barbican that lets another project read a payload with ?target.secret.read=read',
} as const;

export type Situation = keyof typeof SITUATIONS;

/**
 * What a check concludes in a situation: a verdict, or a verdict that differs on purpose from the
 * official suite's (for the official testcases; the reason is documented in docs/checks.md).
 */
export type Expectation =
  | Verdict
  | {
      verdict: Verdict;
      /** What openstack_test.py concludes in the same situation. */
      official: Verdict;
      /** Why we differ, in one sentence. */
      because: string;
    };

export type Expectations = Partial<Record<Situation, Expectation>>;

/** Our verdict in an expectation. */
export function expectedVerdict(e: Expectation): Verdict {
  return typeof e === 'string' ? e : e.verdict;
}

/** The official suite's verdict in an expectation (the same as ours unless a difference is documented). */
export function officialVerdict(e: Expectation): Verdict {
  return typeof e === 'string' ? e : e.official;
}
