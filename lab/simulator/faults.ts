// Scriptable faults of the OpenStack simulator: the failures a real Keystone + Barbican lab
// cannot produce on demand. A rule matches requests by service, method and path; it can skip
// the first N matches and apply a limited number of times. Faults that change the timing or the
// status apply before the request is handled (nothing happens in the simulated cloud) unless
// `phase: 'after'` is given, which models "the cloud did it, but the answer got lost".

export type FaultAction =
  /** Wait this long, then answer normally. */
  | { kind: 'latency'; ms: number }
  /** Never answer (until the client gives up or the simulator stops). */
  | { kind: 'hang' }
  /** Never answer, but carry the request out this much later (a create that lands after the client gave up). */
  | { kind: 'late'; ms: number }
  /** Answer with this status (500, 503, 401, 400, 409, ...). */
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  /** Answer with the real status but a body that is not valid JSON. */
  | { kind: 'malformed-json' }
  /** Announce the real body's length, send half of it, close the connection. */
  | { kind: 'truncated' }
  /** Send a body of this many bytes (announced with Content-Length only when `announce`). */
  | { kind: 'oversized'; bytes: number; announce?: boolean }
  /** Answer with a redirect to this location. */
  | { kind: 'redirect'; location: string; status?: number }
  /** Answer with the real body under another content type. */
  | { kind: 'content-type'; contentType: string };

export interface FaultRule {
  service: 'keystone' | 'barbican';
  method?: string;
  /** A path prefix (matched against the path without query) or a RegExp (matched against path and query). */
  path?: string | RegExp;
  /** Let this many matching requests through before the fault applies. */
  skip?: number;
  /** Apply at most this many times (default: every time). */
  times?: number;
  phase?: 'before' | 'after';
  action: FaultAction;
}

interface ArmedRule {
  rule: FaultRule;
  seen: number;
  applied: number;
}

export class FaultPlan {
  private rules: ArmedRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, seen: 0, applied: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule that applies to this request, counting the match. */
  match(service: 'keystone' | 'barbican', method: string, pathWithQuery: string): FaultRule | undefined {
    const path = pathWithQuery.split('?')[0]!;
    for (const armed of this.rules) {
      const r = armed.rule;
      if (r.service !== service) continue;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (typeof r.path === 'string' && !path.startsWith(r.path)) continue;
      if (r.path instanceof RegExp && !r.path.test(pathWithQuery)) continue;
      armed.seen++;
      if (armed.seen <= (r.skip ?? 0)) continue;
      if (r.times !== undefined && armed.applied >= r.times) continue;
      armed.applied++;
      return r;
    }
    return undefined;
  }
}

/** Whether the action replaces the handler (before) or shapes its real answer (after). */
export function appliesBeforeHandler(rule: FaultRule): boolean {
  const k = rule.action.kind;
  if (k === 'late') return true;
  if (k === 'latency' || k === 'hang' || k === 'status' || k === 'redirect')
    return (rule.phase ?? 'before') === 'before';
  return false;
}
