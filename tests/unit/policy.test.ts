import { describe, expect, test } from 'vitest';
import {
  ACTIONS,
  authorize,
  decide,
  PolicyError,
  STATUS_OF,
  systemActor,
  visibleOrganizationIds,
  type Action,
  type Actor,
  type Decision,
  type Resource,
} from '@/lib/auth/policy';

/**
 * The policy as a table, written from issue 2's rules (not from the implementation):
 * - admin: everything.
 * - reviewer (certification staff): sees every organization and cloud, creates, edits and archives
 *   them, reads the whole audit log; does NOT manage users or invitations.
 * - csp: sees and acts only on its own organizations: reads them and their clouds; metadata
 *   changes to organizations and clouds are the certification body's (403 on its own, 404 on
 *   others'); audit log only of its organizations.
 * - everyone signed in: their own user record and their own API tokens only.
 * - anonymous: unauthenticated, always.
 * A resource the caller may not see is "hidden" (404, existence not revealed); one it may see
 * but not change is "forbidden" (403).
 */

const ORG_A = '11111111-1111-4111-8111-111111111111';
const ORG_B = '22222222-2222-4222-8222-222222222222';

const actor = (id: string, role: Actor['role'], organizationIds: string[] = []): Actor => ({
  id,
  email: `${id}@example.test`,
  name: id,
  role,
  organizationIds,
});

const ROLES = {
  admin: actor('a0000000-0000-4000-8000-000000000001', 'admin'),
  reviewer: actor('a0000000-0000-4000-8000-000000000002', 'reviewer'),
  cspA: actor('a0000000-0000-4000-8000-000000000003', 'csp', [ORG_A]), // member of org A, whose resources are asked about
  cspB: actor('a0000000-0000-4000-8000-000000000004', 'csp', [ORG_B]), // member of another organization
  anonymous: null,
} satisfies Record<string, Actor | null>;
type RoleName = keyof typeof ROLES;
const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

const OTHER_USER = 'b0000000-0000-4000-8000-000000000009';
const selfId = (r: RoleName) => ROLES[r]?.id ?? OTHER_USER;

// Resources, per asking role (for "self" and "own").
type ResourceOf = (r: RoleName) => Resource;
const R = {
  global: () => ({ type: 'global' }),
  orgA: () => ({ type: 'organization', id: ORG_A }),
  cloudA: () => ({ type: 'cloud', organizationId: ORG_A }),
  attestationA: () => ({ type: 'attestation', organizationId: ORG_A }),
  keyA: () => ({ type: 'key', organizationId: ORG_A, approved: false }),
  approvedKeyA: () => ({ type: 'key', organizationId: ORG_A, approved: true }),
  self: (r) => ({ type: 'user', id: selfId(r) }),
  otherUser: () => ({ type: 'user', id: OTHER_USER }),
  ownToken: (r) => ({ type: 'token', userId: selfId(r) }),
  othersToken: () => ({ type: 'token', userId: OTHER_USER }),
} satisfies Record<string, ResourceOf>;

const D: Record<string, Decision> = { A: 'allow', F: 'forbidden', H: 'hidden', U: 'unauthenticated' };

//                                                  admin reviewer cspA cspB anonymous
const TABLE: Record<Action, [keyof typeof R, string][]> = {
  'organization.list': [['global', 'A A A A U']],
  'organization.create': [['global', 'A A F F U']],
  'organization.read': [['orgA', 'A A A H U']],
  'organization.update': [['orgA', 'A A F H U']],
  'organization.archive': [['orgA', 'A A F H U']],
  'cloud.list': [['global', 'A A A A U']],
  'cloud.create': [['orgA', 'A A F H U']],
  'cloud.read': [['cloudA', 'A A A H U']],
  'cloud.update': [['cloudA', 'A A F H U']],
  'cloud.archive': [['cloudA', 'A A F H U']],
  'cloud.pin': [['cloudA', 'A A F H U']],
  'credential.read': [['cloudA', 'A A A H U']],
  'credential.write': [['cloudA', 'A A A H U']],
  'credential.test': [['cloudA', 'A A A H U']],
  'credential.allow_private': [['cloudA', 'A A F H U']],
  // Attestations: the statement is the CSP's own (a reviewer does not write what they judge);
  // the review is the certification body's.
  'attestation.list': [['global', 'A A A A U']],
  'attestation.read': [['attestationA', 'A A A H U']],
  'attestation.write': [
    ['cloudA', 'A F A H U'],
    ['attestationA', 'A F A H U'],
  ],
  'attestation.submit': [['attestationA', 'A F A H U']],
  'attestation.review': [['attestationA', 'A A F H U']],
  'run.create': [['cloudA', 'A A A H U']],
  'run.read': [['cloudA', 'A A A H U']],
  'run.cancel': [['cloudA', 'A A F H U']],
  'notification.manage': [
    ['self', 'A A A A U'],
    ['otherUser', 'A H H H U'],
  ],
  'webhook.manage': [
    ['orgA', 'A A A H U'],
    ['global', 'A A F F U'],
  ],
  // Certificates are the certification body's to grant and revoke (issue 7).
  'certificate.grant': [
    ['cloudA', 'A A F H U'],
    ['global', 'A F F F U'],
  ],
  'certificate.revoke': [['cloudA', 'A A F H U']],
  'metrics.read': [['global', 'A A F F U']],
  // Report-signing keys and signed uploads are the CSP's own claims (issue 13); forwarding is staff's.
  // Whether a key's reports count is the certification body's: staff approve and withdraw, and an
  // approved key only staff remove (the CSP could otherwise shed the results it signed).
  'key.list': [['orgA', 'A A A H U']],
  'key.create': [['orgA', 'A F A H U']],
  'key.delete': [
    ['keyA', 'A F A H U'],
    ['approvedKeyA', 'A A F H U'],
    ['orgA', 'A F F F U'],
  ],
  'key.approve': [
    ['keyA', 'A A F H U'],
    ['orgA', 'A F F F U'],
  ],
  'key.unapprove': [['approvedKeyA', 'A A F H U']],
  'report.upload': [['cloudA', 'A F A H U']],
  'forwarding.read': [['cloudA', 'A A A H U']],
  'forwarding.manage': [['cloudA', 'A A F H U']],
  'webhook.log.read': [['global', 'A A F F U']],
  'vault.status': [['global', 'A A F F U']],
  'user.list': [['global', 'A F F F U']],
  'user.create': [['global', 'A F F F U']],
  'user.read': [
    ['self', 'A A A A U'],
    ['otherUser', 'A H H H U'],
  ],
  'user.update': [
    ['self', 'A F F F U'],
    ['otherUser', 'A H H H U'],
  ],
  'invitation.create': [['global', 'A F F F U']],
  'invitation.revoke': [['global', 'A F F F U']],
  'audit.read': [
    ['global', 'A A F F U'],
    ['orgA', 'A A A H U'],
  ],
  'token.create': [
    ['ownToken', 'A A A A U'],
    ['othersToken', 'A H H H U'],
  ],
  'token.list': [
    ['ownToken', 'A A A A U'],
    ['othersToken', 'A H H H U'],
  ],
  'token.revoke': [
    ['ownToken', 'A A A A U'],
    ['othersToken', 'A H H H U'],
  ],
};

const cases = Object.entries(TABLE).flatMap(([action, rows]) =>
  rows.flatMap(([resource, decisions]) =>
    decisions.split(' ').map((d, i) => ({ action: action as Action, resource, role: ROLE_NAMES[i], expected: D[d] })),
  ),
);

describe('policy: every role against every action', () => {
  test('the table covers every action in ACTIONS, and five roles per row', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...ACTIONS].sort());
    for (const rows of Object.values(TABLE))
      for (const [, d] of rows) expect(d.split(' ')).toHaveLength(ROLE_NAMES.length);
  });

  test.each(cases)('$role $action on $resource -> $expected', ({ action, resource, role, expected }) => {
    expect(decide(ROLES[role], action, R[resource](role))).toBe(expected);
  });
});

describe('policy details', () => {
  test('a csp user of several organizations sees each of them, and nothing else', () => {
    const both = actor('c0000000-0000-4000-8000-000000000001', 'csp', [ORG_A, ORG_B]);
    expect(decide(both, 'cloud.read', { type: 'cloud', organizationId: ORG_B })).toBe('allow');
    expect(decide(both, 'organization.read', { type: 'organization', id: ORG_A })).toBe('allow');
    expect(decide(both, 'cloud.read', { type: 'cloud', organizationId: '33333333-3333-4333-8333-333333333333' })).toBe(
      'hidden',
    );
  });

  test('a csp user in no organization sees no organization', () => {
    const none = actor('c0000000-0000-4000-8000-000000000002', 'csp');
    expect(decide(none, 'organization.read', { type: 'organization', id: ORG_A })).toBe('hidden');
    expect(visibleOrganizationIds(none)).toEqual([]);
  });

  test('visibility filter for lists: staff unfiltered, csp their organizations', () => {
    expect(visibleOrganizationIds(ROLES.admin)).toBeUndefined();
    expect(visibleOrganizationIds(ROLES.reviewer)).toBeUndefined();
    expect(visibleOrganizationIds(ROLES.cspA)).toEqual([ORG_A]);
  });

  test('the system actor (admin CLI, start-up) may do everything and has no user id', () => {
    const sys = systemActor('admin-cli');
    expect(sys.id).toBe('');
    expect(sys.email).toBe('admin-cli');
    for (const action of ACTIONS) expect(decide(sys, action, { type: 'global' }), action).toBe('allow');
  });

  test('decisions map onto 401, 404 and 403', () => {
    expect(STATUS_OF).toEqual({ unauthenticated: 401, hidden: 404, forbidden: 403 });
  });

  test('authorize throws PolicyError with the status, and passes on allow', () => {
    expect(() => authorize(ROLES.cspA, 'cloud.read', { type: 'cloud', organizationId: ORG_A })).not.toThrow();
    const refused = (a: Actor | null, action: Action, r: Resource) => {
      try {
        authorize(a, action, r);
      } catch (e) {
        return e;
      }
      return null;
    };
    const e404 = refused(ROLES.cspB, 'cloud.read', { type: 'cloud', organizationId: ORG_A });
    expect(e404).toBeInstanceOf(PolicyError);
    expect((e404 as PolicyError).status).toBe(404);
    expect((e404 as PolicyError).message).toBe('Not found.');
    expect((refused(ROLES.cspA, 'cloud.update', { type: 'cloud', organizationId: ORG_A }) as PolicyError).status).toBe(
      403,
    );
    expect((refused(null, 'cloud.list', { type: 'global' }) as PolicyError).status).toBe(401);
  });
});

test('refusal messages read as sentences', () => {
  expect(new PolicyError('forbidden', 'cloud.create').message).toBe('You may not create clouds.');
  expect(
    new PolicyError('forbidden', 'key.delete', { type: 'key', organizationId: ORG_A, approved: true }).message,
  ).toBe(
    'You may not remove this key: the certification body approved it, so the reports it signed count toward verdicts and certificates, and only certification staff may remove it or withdraw its approval.',
  );
  expect(new PolicyError('forbidden', 'key.approve').message).toBe(
    'You may not approve report-signing keys: only the certification body decides whose signature makes a report count.',
  );
  expect(new PolicyError('forbidden', 'organization.update').message).toBe('You may not update this organization.');
  expect(new PolicyError('forbidden', 'audit.read').message).toBe('You may not read this audit log.');
  expect(new PolicyError('unauthenticated', 'cloud.read').message).toBe('Sign in first.');
});

test('a missing resource answers as one out of sight; staff, who see everything, learn that it is missing', () => {
  const missing: Resource = { type: 'missing' };
  for (const action of ACTIONS) {
    expect(decide(null, action, missing)).toBe('unauthenticated');
    expect(decide(ROLES.cspA, action, missing)).toBe('hidden');
    expect(decide(ROLES.reviewer, action, missing)).toBe('allow');
    expect(decide(ROLES.admin, action, missing)).toBe('allow');
  }
});
