// Stored compliance snapshots are trusted until SNAPSHOT_FORMAT changes (lib/compliance/freshness.ts).
// This test fingerprints what decides a snapshot's content: the standards as data and the code of
// the rules, the evaluation and the stored shape. When it fails, the deciding code changed: bump
// SNAPSHOT_FORMAT (every stored snapshot is then recomputed after the deploy) and record the new
// fingerprint below. Comments and white space do not count. (A new esbuild that prints the code
// differently changes it as well; bumping then costs one recomputation and nothing else.)
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dashboardProfiles, officialProfiles } from '@/lib/compliance/profiles';
import { nextTimelineChange, resolveScope, scope, validityAt } from '@/lib/compliance/scope';
import {
  automatedState,
  decide,
  evaluate,
  evaluateAll,
  isValidAt,
  manualState,
  officialVerdict,
  validUntil,
} from '@/lib/compliance/verdict';
import { manualVerdict } from '@/lib/attestations/result';
import { expiresAt } from '@/lib/compliance/lifetime';
import { certificateState } from '@/lib/compliance/certificates';
import { latestResults, manualInput } from '@/lib/compliance/data';
import { countedSql, normalizeAuthUrl, runCounts } from '@/lib/compliance/certified-endpoint';
import { cloudPart, evaluateCloudsWithInputs } from '@/lib/compliance/evaluate';
import { nextChange, reviveSummary } from '@/lib/compliance/snapshot';
import { SNAPSHOT_FORMAT } from '@/lib/compliance/freshness';

/** The code without comments and white space: rewording a comment is no change. */
const code = (f: (...args: never[]) => unknown) =>
  String(f)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\s+/g, '');

const deciding = [
  automatedState,
  decide,
  evaluate,
  evaluateAll,
  isValidAt,
  manualState,
  officialVerdict,
  officialProfiles,
  validityAt,
  nextTimelineChange,
  resolveScope,
  validUntil,
  manualVerdict,
  expiresAt,
  certificateState,
  manualInput,
  cloudPart,
  evaluateCloudsWithInputs,
  nextChange,
  reviveSummary,
  latestResults,
  countedSql,
  runCounts,
  normalizeAuthUrl,
];

describe('snapshot format', () => {
  it('is bumped whenever the code that decides a snapshot changes', () => {
    const fingerprint = crypto
      .createHash('sha256')
      .update(JSON.stringify({ scope: scope(), profiles: dashboardProfiles() }))
      .update(deciding.map(code).join('\n'))
      .digest('hex')
      .slice(0, 16);
    expect(
      { format: SNAPSHOT_FORMAT, fingerprint },
      'bump SNAPSHOT_FORMAT in lib/compliance/freshness.ts and record the new fingerprint here',
    ).toEqual({ format: 3, fingerprint: '3605e85b60f432a9' });
  });
});
