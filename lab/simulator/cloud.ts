// CloudConfig for the checks against a running simulator, per persona.

import type { AuthConfig, CloudConfig } from '../../lib/checks/types';
import type { OpenStackSimulator } from './simulator';

export type SimPersona = 'member' | 'reader' | 'admin' | 'manager' | 'other' | 'appcred';

export function simulatorAuth(sim: OpenStackSimulator, persona: SimPersona): AuthConfig {
  if (persona === 'appcred') {
    return {
      type: 'application_credential',
      authUrl: `${sim.keystoneUrl}/v3`,
      applicationCredentialId: sim.appCredential.id,
      applicationCredentialSecret: sim.appCredential.secret,
    };
  }
  const u = sim.users[persona];
  return {
    type: 'password',
    authUrl: `${sim.keystoneUrl}/v3`,
    username: u.name,
    userDomainName: 'Default',
    password: u.password,
    projectId: u.projectId,
  };
}

/** A cloud configuration for the simulator: loopback allowed, short timeouts unless overridden. */
export function simulatorCloud(
  sim: OpenStackSimulator,
  persona: SimPersona = 'member',
  overrides: Partial<CloudConfig> = {},
): CloudConfig {
  return {
    auth: simulatorAuth(sim, persona),
    region: 'RegionOne',
    allowPrivateAddresses: true,
    timeouts: { connectMs: 1_000, headersMs: 500, bodyMs: 500 },
    ...overrides,
  };
}
