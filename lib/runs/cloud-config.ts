// The one seam between runs and stored credentials. A worker gets a resolver as a dependency:
// production wires the vault's (lib/credentials decryptCloudConfig) here, tests and the scale
// benchmark inject simulator configurations. Whatever a resolver returns stays in the worker's
// memory for the length of one run; it is never persisted, logged or sent to a browser.

import type { CloudConfig } from '../checks/types';
import { decryptCloudConfig } from '../credentials';

export interface ResolvableCloud {
  id: string;
  slug: string;
  region: string;
}

export type CloudConfigResolver = (cloud: ResolvableCloud) => Promise<CloudConfig>;

/** The cloud has no stored credential: the run ends with an ABORT per testcase saying so. */
export class NoCredentialError extends Error {
  readonly code = 'no_credential';
  constructor(message = "No credential is stored for this cloud; add one on the cloud's credential page.") {
    super(message);
    this.name = 'NoCredentialError';
  }
}

/**
 * The vault's resolver: the cloud's credentials, decrypted in memory. The region under test is the
 * cloud's (its certification record), whatever region the imported clouds.yaml entry named.
 */
export const defaultResolver: CloudConfigResolver = async (cloud) => {
  const cfg = await decryptCloudConfig(cloud.id);
  if (!cfg) throw new NoCredentialError();
  return { ...cfg, region: cloud.region || cfg.region };
};
