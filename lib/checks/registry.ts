// The check registry: every check the product knows, in the order a run executes them. The two
// official testcases come first (as the SCS spec lists them), the informational km-* checks
// after, and km-no-leftovers last because it looks at what the others left.

import { kmBackend } from './testcases/km-backend';
import { kmContainer } from './testcases/km-container';
import { kmCrossProject } from './testcases/km-cross-project';
import { kmKeyOrder } from './testcases/km-key-order';
import { kmNoLeftovers } from './testcases/km-no-leftovers';
import { kmPayloadRoundtrip } from './testcases/km-payload-roundtrip';
import { kmQuota } from './testcases/km-quota';
import { kmReaderCannotWrite } from './testcases/km-reader-cannot-write';
import { kmRoles } from './testcases/km-roles';
import { kmTls } from './testcases/km-tls';
import { kmTransportKeys } from './testcases/km-transport-keys';
import { kmVersion } from './testcases/km-version';
import { scs0116Permissions } from './testcases/scs-0116-permissions';
import { scs0116Presence } from './testcases/scs-0116-presence';
import type { CheckDefinition, CloudConfig } from './types';

export const CHECKS: readonly CheckDefinition[] = Object.freeze([
  scs0116Presence,
  scs0116Permissions,
  kmRoles,
  kmVersion,
  kmTls,
  kmPayloadRoundtrip,
  kmKeyOrder,
  kmContainer,
  kmBackend,
  kmQuota,
  kmTransportKeys,
  kmReaderCannotWrite,
  kmCrossProject,
  kmNoLeftovers,
]);

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
