// km-version: version discovery at the key-manager's versionless root, and a versionless URL
// in the catalog. Clients (castellan, openstacksdk) discover the API version from the root; a
// catalog URL that already ends in /v1 works for some clients and breaks discovery for others.

import { abortFromError, fail, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';

const STABLE = new Set(['stable', 'current', 'supported']);

export const kmVersion: CheckDefinition = {
  id: 'km-version',
  title: 'Key manager version discovery and versionless catalog URL',
  clause:
    'scs-0116-v1 "Key Manager Standard": the Key Manager API as abstracted by Castellan (discoverable API version)',
  target: 'informational',
  lifetime: 'month',
  preflight: false,
  expectations: {
    'full-check-set': 'PASS',
    'discovery-fails': 'ABORT',
    'discovery-no-v1': 'FAIL',
    'versioned-url-discovery-fails': 'ABORT',
    'no-key-manager': 'ABORT',
  },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    let discovered;
    try {
      discovered = await km.client.versions();
    } catch (err) {
      return abortFromError(err, `read the version document at ${km.endpoint.root}/`, ctx.http.redactor);
    }
    const v1 = discovered.versions.find((v) => /^v1(\.|$)/.test(v.id) && STABLE.has(v.status.toLowerCase()));
    const details = {
      catalogUrl: km.endpoint.catalogUrl,
      root: km.endpoint.root,
      discoveryStatus: discovered.status,
      versions: discovered.versions,
      catalogVersionSuffix: km.endpoint.catalogVersionSuffix,
    };
    const problems: string[] = [];
    if (!v1) problems.push(`version discovery at ${km.endpoint.root}/ lists no stable v1`);
    if (km.endpoint.catalogVersionSuffix) {
      problems.push(`the catalog URL ${km.endpoint.catalogUrl} ends in /${km.endpoint.catalogVersionSuffix}`);
    }
    if (problems.length > 0) {
      return fail(
        `${capitalise(problems.join(' and '))}; register the versionless URL (${km.endpoint.root}) as the key-manager endpoint and serve version discovery there.`,
        details,
      );
    }
    return pass(
      `Version discovery at ${km.endpoint.root}/ offers ${v1!.id} (${v1!.status}) and the catalog URL is versionless.`,
      details,
    );
  },
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
