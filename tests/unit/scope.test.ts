// The shipped scope (lib/compliance/scope/scs-compatible-iaas.yaml) against upstream's
// Tests/scs-compatible-iaas.yaml in shared/scs-upstream: the key-manager part must be equal, and
// upstream's own resolution (scs_cert_lib.load_spec + annotate_validity, run by Debian's Python)
// must give every version the same key-manager targets and the same validity on each timeline day
// as ours. Also: the lifetimes our check definitions carry are the scope file's (default week).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { automatedTestcases, loadScope, resolveScope, SCOPE_FILE, validityAt } from '@/lib/compliance/scope';
import { CHECKS, OFFICIAL_TESTCASE_IDS } from '@/lib/checks/registry';
import { upstream, UPSTREAM_SKIP_NOTE } from '../support/upstream';

type Doc = Record<string, unknown> & {
  scripts: Array<Record<string, unknown> & { testcases?: Array<{ id: string }> }>;
  modules: Array<{ id: string; targets?: Record<string, string[]> }>;
  versions: Array<Record<string, unknown> & { include?: Array<string | { ref: string }> }>;
};

const KEY_MANAGER_MODULE = /^scs-0116-/;

/** What we ship of a scope document: the scs-0116 modules, their testcases, every version's includes of them. */
function keyManagerPart(doc: Doc) {
  const modules = doc.modules.filter((m) => KEY_MANAGER_MODULE.test(m.id));
  const ids = new Set(modules.flatMap((m) => Object.values(m.targets ?? {}).flat()));
  const ref = (inc: string | { ref: string }) => (typeof inc === 'string' ? inc : inc.ref);
  return {
    name: doc.name,
    uuid: doc.uuid,
    url: doc.url,
    scripts: doc.scripts
      .map((s) => ({ ...s, testcases: (s.testcases ?? []).filter((t) => ids.has(t.id)) }))
      .filter((s) => s.testcases.length > 0),
    modules,
    timeline: doc.timeline,
    versions: doc.versions.map((v) => ({
      ...v,
      include: (v.include ?? []).filter((inc) => KEY_MANAGER_MODULE.test(ref(inc))),
    })),
  };
}

const ours = parse(fs.readFileSync(path.join(process.cwd(), SCOPE_FILE), 'utf8')) as Doc;
const up = upstream();
const upstreamFile = up ? path.join(up.tests, 'scs-compatible-iaas.yaml') : '';

describe('the official scope', () => {
  test.skipIf(!up)(
    `equals the key-manager part of upstream's scope file${up ? '' : ` (${UPSTREAM_SKIP_NOTE})`}`,
    () => {
      const theirs = parse(fs.readFileSync(upstreamFile, 'utf8')) as Doc;
      expect(keyManagerPart(ours)).toEqual(keyManagerPart(theirs));
      // Nothing else in ours: the file is exactly the key-manager part.
      expect(ours).toEqual(keyManagerPart(ours));
    },
  );

  test.skipIf(!up)(
    `resolves like upstream's scs_cert_lib on every timeline day${up ? '' : ` (${UPSTREAM_SKIP_NOTE})`}`,
    () => {
      const doc = parse(fs.readFileSync(upstreamFile, 'utf8')) as Doc & { timeline: Array<{ date: string }> };
      const days = [
        ...new Set(doc.timeline.flatMap((e) => [e.date, shift(e.date, -1), shift(e.date, 1)])),
        '2020-01-01',
      ].sort();
      const script = `
import json, sys
from datetime import date
sys.path.insert(0, sys.argv[1])
from scs_cert_lib import load_spec, annotate_validity
doc, days, ids = json.load(sys.stdin)
for e in doc['timeline']:
    e['date'] = date.fromisoformat(e['date'])
spec = load_spec(doc)
out = {'targets': {}, 'validity': {}}
for name, v in spec['versions'].items():
    out['targets'][name] = {tc: t for tc, t in v['tc_target'].items() if tc in ids}
for d in days:
    annotate_validity(spec['timeline'], spec['versions'], date.fromisoformat(d))
    out['validity'][d] = {name: v['_explicit_validity'] for name, v in spec['versions'].items() if v['_explicit_validity']}
print(json.dumps(out))
`;
      const scope = loadScope();
      const ids = scope.testcases.map((t) => t.id);
      const theirs = JSON.parse(
        execFileSync('/usr/bin/python3', ['-c', script, up!.tests], {
          input: JSON.stringify([doc, days, ids]),
          encoding: 'utf8',
        }),
      ) as { targets: Record<string, Record<string, string>>; validity: Record<string, Record<string, string>> };
      expect(Object.fromEntries(scope.versions.map((v) => [v.version, v.tcTarget]))).toEqual(theirs.targets);
      for (const d of days)
        expect(Object.fromEntries(validityAt(scope, new Date(`${d}T12:00:00Z`))), d).toEqual(theirs.validity[d]);
    },
  );

  test('versions v5.1 and next include scs-0116-v1 with only scs-0116-permissions in main', () => {
    const s = loadScope();
    const v51 = s.versions.find((v) => v.version === 'v5.1')!;
    expect(v51.tcTarget).toEqual({ 'scs-0116-permissions': 'main' });
    expect(s.versions.find((v) => v.version === 'next')!.tcTarget).toEqual({ 'scs-0116-permissions': 'main' });
    expect(Object.fromEntries(validityAt(s, new Date('2026-07-01T00:00:00Z')))).toEqual({
      next: 'draft',
      'v5.1': 'effective',
    });
    expect(s.testcases.find((t) => t.id === 'key-manager-docs-check')?.manual).toBe(true);
  });

  test('our check definitions carry the scope file lifetimes (default week), and the official ids are its testcases', () => {
    const s = loadScope();
    for (const t of automatedTestcases(s)) {
      const check = CHECKS.find((c) => c.id === t.id);
      expect(check, t.id).toBeDefined();
      expect(check!.lifetime, t.id).toBe(t.lifetime ?? 'week');
    }
    expect([...OFFICIAL_TESTCASE_IDS].sort()).toEqual(
      automatedTestcases(s)
        .map((t) => t.id)
        .sort(),
    );
  });

  test('a name error is refused, as upstream refuses it', () => {
    const bad = structuredClone(ours) as unknown as Parameters<typeof resolveScope>[0];
    bad.versions[0].include = ['scs-0116-v9'];
    expect(() => resolveScope(bad)).toThrow(/unknown module scs-0116-v9/);
  });
});

function shift(day: string, days: number): string {
  return new Date(new Date(`${day}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
