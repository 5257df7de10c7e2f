import { describe, expect, it } from 'vitest';
import { nextSteps, type CloudProgress } from './next-steps';

const now = new Date('2025-05-01T00:00:00Z');
const ready: CloudProgress = {
  slug: 'ok',
  name: 'OK Cloud',
  hasCredential: true,
  hasFinishedRun: true,
  openAttestation: null,
  manual: { verdict: 'PASS', expiresAt: new Date('2025-07-01T00:00:00Z') },
  status: 'PASS',
};

describe('nextSteps', () => {
  it('has nothing to say about a cloud that is in order', () => {
    expect(nextSteps([ready], now)).toEqual([]);
  });
  it('asks for a credential first and nothing else for that cloud', () => {
    const s = nextSteps([{ ...ready, slug: 'new', name: 'New', hasCredential: false, hasFinishedRun: false }], now);
    expect(s.map((x) => [x.href, x.label])).toEqual([['/clouds/new/credential', 'Add the credential']]);
  });
  it('puts a request for changes first, then failures, runs, attestations', () => {
    const s = nextSteps(
      [
        { ...ready, slug: 'a', name: 'A', hasFinishedRun: false, manual: { verdict: 'MISS' } },
        { ...ready, slug: 'b', name: 'B', status: 'FAIL', reason: 'scs-0116-permissions is FAIL' },
        { ...ready, slug: 'c', name: 'C', openAttestation: 'changes_requested', manual: { verdict: 'MISS' } },
      ],
      now,
    );
    expect(s.map((x) => `${x.slug}:${x.label}`)).toEqual([
      'c:Read the comment and resubmit',
      'b:See why',
      'a:Run the checks',
      'a:Start the attestation',
    ]);
    expect(s[1].text).toBe('B fails scs-0116 v1: scs-0116-permissions is FAIL');
  });
  it('reminds of an attestation that expires within 14 days', () => {
    const s = nextSteps([{ ...ready, manual: { verdict: 'PASS', expiresAt: new Date('2025-05-10T00:00:00Z') } }], now);
    expect(s.map((x) => x.text)).toEqual(['The attestation of OK Cloud expires on 2025-05-10.']);
  });
});
