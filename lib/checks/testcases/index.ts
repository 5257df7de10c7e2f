// Every check, in the order a run executes them: the official testcases first (as the SCS spec
// lists them), the informational km-* checks after, km-no-leftovers last because it looks at what
// the others left. One file per check in this folder, named by the check's id; a unit test
// (lib/checks/registry.test.ts) holds this list equal to the folder.

import { kmBackend } from './km-backend';
import { kmContainer } from './km-container';
import { kmCrossProject } from './km-cross-project';
import { kmKeyOrder } from './km-key-order';
import { kmNoLeftovers } from './km-no-leftovers';
import { kmPayloadRoundtrip } from './km-payload-roundtrip';
import { kmQuota } from './km-quota';
import { kmReaderCannotWrite } from './km-reader-cannot-write';
import { kmRoles } from './km-roles';
import { kmTls } from './km-tls';
import { kmTransportKeys } from './km-transport-keys';
import { kmVersion } from './km-version';
import { scs0116Permissions } from './scs-0116-permissions';
import { scs0116Presence } from './scs-0116-presence';
import type { CheckDefinition } from '../definition';

export const TESTCASES: readonly CheckDefinition[] = [
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
];
