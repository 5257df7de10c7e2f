// Where the unmodified upstream SCS tooling lives (shared/scs-upstream: the scope file, scs_cert_lib.py,
// the compliance monitor), for the tests that hold our code equal to it. The shared folder sits next
// to the checkout, on developers' machines and on CI alike (CI clones main and lays a copy of shared/
// beside it), so the first place is `<repo>/../shared/scs-upstream` (candidates() below lists the
// rest). SCS_UPSTREAM_DIR names another place. A missing copy fails those tests loudly,
// unless SCS_UPSTREAM_OPTIONAL=1 says that a machine without it is expected (then they are skipped
// and say why).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..', '..');

/**
 * Where to look, in the order test:lab looks (lab/agreement.ts upstreamKit): SCS_UPSTREAM_DIR alone if
 * set; else shared/scs-upstream beside the checkout or beside any folder above it; beside the main
 * checkout of a git worktree; else the machines' shared copy /work/shared/scs-upstream (where a fresh
 * clone in a temporary folder finds it, as the README's quick start does).
 */
function candidates(): string[] {
  if (process.env.SCS_UPSTREAM_DIR) return [path.resolve(process.env.SCS_UPSTREAM_DIR)];
  const out: string[] = [];
  for (let d = path.dirname(REPO); d !== path.dirname(d); d = path.dirname(d))
    out.push(path.join(d, 'shared', 'scs-upstream'));
  try {
    const common = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], {
      cwd: REPO,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    out.push(path.resolve(common, '..', '..', 'shared', 'scs-upstream'));
  } catch {
    // not a git checkout: only the places above
  }
  out.push('/work/shared/scs-upstream');
  return [...new Set(out)];
}

export interface Upstream {
  dir: string;
  /** upstream/Tests: scs-compatible-iaas.yaml and scs_cert_lib.py */
  tests: string;
}

/** The upstream copy, or null when it is absent and SCS_UPSTREAM_OPTIONAL=1 (callers skip). Throws otherwise. */
export function upstream(): Upstream | null {
  const tried = candidates();
  for (const dir of tried) {
    const tests = path.join(dir, 'upstream', 'Tests');
    if (fs.existsSync(path.join(tests, 'scs-compatible-iaas.yaml'))) return { dir, tests };
  }
  if (process.env.SCS_UPSTREAM_OPTIONAL === '1') return null;
  throw new Error(
    `The upstream SCS tooling (shared/scs-upstream) was not found at ${tried.join(' or ')}. ` +
      'Set SCS_UPSTREAM_DIR to its folder, or SCS_UPSTREAM_OPTIONAL=1 to skip the comparisons with it.',
  );
}

export const UPSTREAM_SKIP_NOTE = 'skipped: shared/scs-upstream is absent and SCS_UPSTREAM_OPTIONAL=1';
