import { describe, expect, it } from 'vitest';
import { diffResults } from './service';
import { namePrefixOf } from './execute';
import { decide, systemActor, type Actor } from '../auth/policy';

describe('diff', () => {
  it('reports verdict and message changes, added and removed testcases, in registry order', () => {
    const d = diffResults(
      [
        { testcase: 'km-version', verdict: 'PASS', message: 'a' },
        { testcase: 'scs-0116-presence', verdict: 'PASS', message: 'x' },
        { testcase: 'km-tls', verdict: 'FAIL', message: 'm' },
      ],
      [
        { testcase: 'scs-0116-presence', verdict: 'FAIL', message: 'y' },
        { testcase: 'km-version', verdict: 'PASS', message: 'b' },
        { testcase: 'km-quota', verdict: 'PASS', message: 'q' },
      ],
    );
    expect(d.changes.map((c) => [c.testcase, c.kind])).toEqual([
      ['scs-0116-presence', 'verdict'],
      ['km-version', 'message'],
      ['km-tls', 'removed'],
      ['km-quota', 'added'],
    ]);
    expect(d.unchanged).toBe(0);
  });
});

describe('names and signatures', () => {
  it('derives the object prefix from the run id before anything is created', () => {
    expect(namePrefixOf('28692530-2269-4107-b54f-9ea44e53ada2').namePrefix).toBe('kmc-2869253022694107b54f9ea4-');
  });
});

describe('policy for runs and notifications', () => {
  const csp = (orgs: string[]): Actor => ({ id: 'u1', email: 'c@x', name: 'c', role: 'csp', organizationIds: orgs });
  const reviewer: Actor = { id: 'u2', email: 'r@x', name: 'r', role: 'reviewer', organizationIds: [] };
  const cloudA = { type: 'cloud' as const, organizationId: 'A' };
  it('lets CSP users create and read runs of their clouds, hides others, and leaves cancel to staff', () => {
    expect(decide(csp(['A']), 'run.create', cloudA)).toBe('allow');
    expect(decide(csp(['A']), 'run.read', cloudA)).toBe('allow');
    expect(decide(csp(['A']), 'run.cancel', cloudA)).toBe('forbidden');
    expect(decide(csp(['B']), 'run.read', cloudA)).toBe('hidden');
    expect(decide(csp(['B']), 'run.cancel', cloudA)).toBe('hidden');
    expect(decide(reviewer, 'run.cancel', cloudA)).toBe('allow');
    expect(decide(null, 'run.read', cloudA)).toBe('unauthenticated');
    expect(decide(systemActor('scheduler'), 'run.create', cloudA)).toBe('allow');
  });
  it('keeps preferences personal, webhooks per organization, and the delivery log for staff', () => {
    expect(decide(csp(['A']), 'notification.manage', { type: 'user', id: 'u1' })).toBe('allow');
    expect(decide(csp(['A']), 'notification.manage', { type: 'user', id: 'u9' })).toBe('hidden');
    expect(decide(csp(['A']), 'webhook.manage', { type: 'organization', id: 'A' })).toBe('allow');
    expect(decide(csp(['A']), 'webhook.manage', { type: 'organization', id: 'B' })).toBe('hidden');
    expect(decide(csp(['A']), 'webhook.manage', { type: 'global' })).toBe('forbidden');
    expect(decide(csp(['A']), 'webhook.log.read', { type: 'global' })).toBe('forbidden');
    expect(decide(reviewer, 'webhook.log.read', { type: 'global' })).toBe('allow');
  });
});
