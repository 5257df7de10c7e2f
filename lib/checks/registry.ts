// The check registry: every check the product knows, in the order a run executes them, as the
// folder lib/checks/testcases/ holds them (one file per check; see its index.ts and the recipe
// at the top of docs/checks.md).

import { TESTCASES } from './testcases';
import type { CheckDefinition } from './definition';
import type { CloudConfig } from './types';

export const CHECKS: readonly CheckDefinition[] = Object.freeze([...TESTCASES]);

/** The ids of the official SCS testcases for scs-0116 (Tests/scs-compatible-iaas.yaml). */
export const OFFICIAL_TESTCASE_IDS = ['scs-0116-presence', 'scs-0116-permissions'] as const;

export function getCheck(id: string): CheckDefinition | undefined {
  return CHECKS.find((c) => c.id === id);
}

export class UnknownCheckError extends Error {
  constructor(readonly ids: string[]) {
    super(
      `unknown check id${ids.length > 1 ? 's' : ''}: ${ids.join(', ')} (known: ${CHECKS.map((c) => c.id).join(', ')})`,
    );
    this.name = 'UnknownCheckError';
  }
}

/**
 * The checks a run executes, in registry order. Without ids: every check whose persona (if it
 * needs one) is configured. With ids: exactly those (a persona check without its credential then
 * ABORTs and says so).
 */
export function selectChecks(ids: string[] | undefined, cloud: CloudConfig): CheckDefinition[] {
  if (!ids || ids.length === 0) return CHECKS.filter((c) => !c.persona || cloud.personas?.[c.persona] !== undefined);
  const unknown = ids.filter((id) => !getCheck(id));
  if (unknown.length > 0) throw new UnknownCheckError(unknown);
  const wanted = new Set(ids);
  return CHECKS.filter((c) => wanted.has(c.id));
}
