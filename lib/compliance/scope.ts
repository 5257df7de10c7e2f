// The official SCS scope as data: lib/compliance/scope/scs-compatible-iaas.yaml, the key-manager part
// of upstream's Tests/scs-compatible-iaas.yaml, read with the `yaml` library and resolved the way
// upstream's scs_cert_lib.py does (load_spec, annotate_validity): a version's targets are the union
// of its included modules' targets, and a version's validity on a day comes from the latest
// timeline entry on or before that day (a version the entry does not name is deprecated and not
// evaluated at all). Kept free of database and check imports: profiles.ts builds the verdict
// profiles from it.

import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ResultLifetime } from '../checks/types';

export type Validity = 'effective' | 'warn' | 'draft' | 'deprecated';
/** Upstream's target names: `main` decides, `recommended` warns, `preview` is shown only. */
export type Target = 'main' | 'recommended' | 'preview';

export interface ScopeTestcase {
  id: string;
  description: string;
  url: string;
  /** As the scope file states it; absent means upstream's default (week). */
  lifetime?: ResultLifetime;
  /** In a script without an executable: a manual check (e.g. key-manager-docs-check). */
  manual: boolean;
}

export interface ScopeModule {
  id: string;
  name: string;
  url: string;
  targets: Partial<Record<Target, string[]>>;
}

export interface ScopeVersion {
  version: string;
  stabilizedAt: string | null;
  /** Module ids (of the key-manager part) in the order the version includes them. */
  include: string[];
  /** testcase id -> target, over the included modules (a later module wins, as upstream). */
  tcTarget: Record<string, Target>;
}

export interface Scope {
  name: string;
  uuid: string;
  url: string;
  testcases: ScopeTestcase[];
  modules: ScopeModule[];
  /** In the scope file's order: upstream lists them newest first and evaluates in that order. */
  versions: ScopeVersion[];
  /** Newest first, as upstream writes it; dates as YYYY-MM-DD. */
  timeline: Array<{ date: string; versions: Record<string, Validity> }>;
}

interface RawTestcase {
  id: string;
  description?: string;
  url?: string;
  lifetime?: ResultLifetime;
}
interface RawScope {
  name: string;
  uuid: string;
  url: string;
  scripts: Array<{ executable?: string; testcases?: RawTestcase[] }>;
  modules: Array<{ id: string; name: string; url: string; targets?: Partial<Record<Target, string[]>> }>;
  timeline: Array<{ date: string | Date; versions: Record<string, Validity> }>;
  versions: Array<{ version: string; stabilized_at?: string | Date; include?: Array<string | { ref: string }> }>;
}

export const SCOPE_FILE = path.join('lib', 'compliance', 'scope', 'scs-compatible-iaas.yaml');
const LIFETIMES: ResultLifetime[] = ['day', 'week', 'month', 'quarter', 'year'];
const VALIDITIES: Validity[] = ['effective', 'warn', 'draft', 'deprecated'];

const isoDate = (d: string | Date): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

/** Resolves a parsed scope document; throws on a name error, as upstream's _resolve_spec does. */
export function resolveScope(raw: RawScope): Scope {
  const testcases: ScopeTestcase[] = [];
  for (const script of raw.scripts ?? [])
    for (const t of script.testcases ?? []) {
      if (t.lifetime !== undefined && !LIFETIMES.includes(t.lifetime))
        throw new Error(`scope: unknown lifetime ${t.lifetime} of ${t.id}`);
      if (testcases.some((x) => x.id === t.id)) throw new Error(`scope: duplicate testcase ${t.id}`);
      testcases.push({
        id: t.id,
        description: (t.description ?? '').trim(),
        url: t.url ?? '',
        ...(t.lifetime ? { lifetime: t.lifetime } : {}),
        manual: !script.executable,
      });
    }
  const modules: ScopeModule[] = raw.modules.map((m) => ({
    id: m.id,
    name: m.name,
    url: m.url,
    targets: m.targets ?? {},
  }));
  for (const m of modules)
    for (const ids of Object.values(m.targets))
      for (const id of ids ?? [])
        if (!testcases.some((t) => t.id === id)) throw new Error(`scope: module ${m.id} names unknown testcase ${id}`);
  const versions: ScopeVersion[] = raw.versions.map((v) => {
    const include = (v.include ?? []).map((inc) => (typeof inc === 'string' ? inc : inc.ref));
    const tcTarget: Record<string, Target> = {};
    for (const id of include) {
      const m = modules.find((x) => x.id === id);
      if (!m) throw new Error(`scope: version ${v.version} includes unknown module ${id}`);
      for (const [target, ids] of Object.entries(m.targets))
        for (const tc of ids ?? []) tcTarget[tc] = target as Target;
    }
    return { version: v.version, stabilizedAt: v.stabilized_at ? isoDate(v.stabilized_at) : null, include, tcTarget };
  });
  const timeline = raw.timeline.map((e) => {
    for (const [name, validity] of Object.entries(e.versions)) {
      if (!versions.some((v) => v.version === name)) throw new Error(`scope: timeline names unknown version ${name}`);
      if (!VALIDITIES.includes(validity)) throw new Error(`scope: unknown validity ${validity}`);
    }
    return { date: isoDate(e.date), versions: e.versions };
  });
  return { name: raw.name, uuid: raw.uuid, url: raw.url, testcases, modules, versions, timeline };
}

export function loadScope(file = path.join(process.cwd(), SCOPE_FILE)): Scope {
  // A file of the project read at run time, not a module: the build need not trace from here.
  return resolveScope(parse(fs.readFileSync(/* turbopackIgnore: true */ file, 'utf8')) as RawScope);
}

let cached: Scope | undefined;
/** The shipped scope (read once per process). */
export function scope(): Scope {
  cached ??= loadScope();
  return cached;
}

/**
 * upstream annotate_validity: the validity of each version on the UTC day of `at`, from the latest
 * timeline entry dated on or before that day; versions that entry does not name get none (upstream:
 * deprecated, and not evaluated).
 */
export function validityAt(s: Scope, at: Date): Map<string, Validity> {
  const day = at.toISOString().slice(0, 10);
  const entry = s.timeline.filter((e) => e.date <= day).sort((a, b) => b.date.localeCompare(a.date))[0];
  return new Map(Object.entries(entry?.versions ?? {}));
}

/** The first instant after `at` at which a version's validity changes (the next timeline date), or null. */
export function nextTimelineChange(s: Scope, at: Date): Date | null {
  const day = at.toISOString().slice(0, 10);
  const next = s.timeline
    .map((e) => e.date)
    .filter((d) => d > day)
    .sort()[0];
  return next ? new Date(`${next}T00:00:00Z`) : null;
}

/** The automated testcases of the scope (run by the official runner's scripts), in the file's order. */
export function automatedTestcases(s: Scope): ScopeTestcase[] {
  return s.testcases.filter((t) => !t.manual);
}
