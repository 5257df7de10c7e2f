import { describe, expect, it } from 'vitest';
import { UsageError, parseCliArgs } from './args';

describe('parseCliArgs', () => {
  it("takes the official script's options and positional testcase ids", () => {
    expect(parseCliArgs(['-c', 'mycloud', '-s', 'subj', 'scs-0116-presence', 'scs-0116-permissions'])).toMatchObject({
      cloud: 'mycloud',
      subject: 'subj',
      ids: ['scs-0116-presence', 'scs-0116-permissions'],
      idsFromStdin: false,
    });
  });

  it('reads "-" as ids from stdin', () => {
    expect(parseCliArgs(['--os-cloud=x', '-'])).toMatchObject({ ids: [], idsFromStdin: true });
  });

  it('converts timeouts from seconds and rejects nonsense', () => {
    expect(parseCliArgs(['--connect-timeout', '2.5']).timeouts.connectMs).toBe(2500);
    expect(() => parseCliArgs(['--body-timeout', 'soon'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--body-timeout', '0'])).toThrow(/between 0 and 600/);
  });

  it('rejects unknown options as usage errors', () => {
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(UsageError);
  });
});
