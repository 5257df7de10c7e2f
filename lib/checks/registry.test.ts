// A check is one file: the registry is the folder lib/checks/testcases/ (its index.ts lists every
// file, in execution order), every definition carries its lifetime and verdict expectations, and
// docs/checks.md has a section for it. These tests fail when one of those is forgotten.

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS, getCheck } from './registry';
import { SITUATIONS, expectedVerdict } from './situations';
import { TESTCASES } from './testcases';
import type { CheckDefinition } from './definition';

const FOLDER = path.join(import.meta.dirname, 'testcases');
/** Files in the folder that are not checks. */
const NOT_CHECKS = new Set(['index.ts', 'shared.ts']);
const DOCS = readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'checks.md'), 'utf8');

function isDefinition(v: unknown): v is CheckDefinition {
  return !!v && typeof v === 'object' && typeof (v as CheckDefinition).id === 'string' && 'run' in v;
}

describe('the registry is the testcases folder', () => {
  const files = readdirSync(FOLDER).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !NOT_CHECKS.has(f));

  it('every file defines exactly one check, named like the file, and the list holds each file once', async () => {
    const fromFiles: CheckDefinition[] = [];
    for (const f of files) {
      const mod = (await import(path.join(FOLDER, f))) as Record<string, unknown>;
      const defs = Object.values(mod).filter(isDefinition);
      expect(
        defs.map((d) => d.id),
        f,
      ).toEqual([f.replace(/\.ts$/, '')]);
      fromFiles.push(defs[0]!);
    }
    expect(new Set(TESTCASES)).toEqual(new Set(fromFiles));
    expect(TESTCASES).toHaveLength(files.length);
    expect(CHECKS).toEqual(TESTCASES);
  });

  it('runs the official testcases first and km-no-leftovers last', () => {
    const official = CHECKS.filter((c) => c.target !== 'informational').map((c) => c.id);
    expect(CHECKS.slice(0, official.length).map((c) => c.id)).toEqual(official);
    expect(official).toEqual(['scs-0116-presence', 'scs-0116-permissions']);
    expect(CHECKS.at(-1)?.id).toBe('km-no-leftovers');
    expect(getCheck('km-tls')?.id).toBe('km-tls');
    expect(getCheck('nope')).toBeUndefined();
  });
});

describe('each definition carries its lifetime and verdict expectations', () => {
  it.each(CHECKS.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(['day', 'week', 'month', 'quarter', 'year']).toContain(c.lifetime);
    const verdicts = Object.values(c.expectations).map((e) => expectedVerdict(e!));
    expect(verdicts, 'at least one situation where it PASSes').toContain('PASS');
    expect(
      verdicts.some((v) => v !== 'PASS'),
      'and one where it does not',
    ).toBe(true);
    for (const situation of Object.keys(c.expectations)) expect(Object.keys(SITUATIONS)).toContain(situation);
    for (const [situation, e] of Object.entries(c.expectations)) {
      if (typeof e === 'string') continue;
      // A difference from the official suite only exists for an official testcase, and is documented.
      expect(c.target, `${c.id} in ${situation}`).not.toBe('informational');
      expect(e!.because.length).toBeGreaterThan(20);
      expect(DOCS, `docs/checks.md names the difference in ${situation}`).toContain(`\`${situation}\``);
    }
  });
});

describe('docs/checks.md', () => {
  it.each(CHECKS.map((c) => [c.id, c] as const))('has a section for %s, with its target and lifetime', (_id, c) => {
    expect(DOCS).toMatch(new RegExp(`^### ${c.id} \\(${c.target}; lifetime: ${c.lifetime}\\)$`, 'm'));
  });

  it('starts with the recipe for adding a check', () => {
    const firstSection = DOCS.split('\n').find((l) => l.startsWith('## '));
    expect(firstSection).toBe('## Adding a check');
  });
});
