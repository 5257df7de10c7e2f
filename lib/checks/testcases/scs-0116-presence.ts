// scs-0116-presence (recommended): "Key manager service is discoverable."
//
// The official testcase looks for a service of type key-manager anywhere in the catalog. We
// judge the region and interface under test: a key-manager that exists only in another region,
// only on internal or admin endpoints, or without endpoints does not serve this region's users,
// so that is a FAIL that names the cause. (Documented in docs/checks.md as a deliberate difference.)

import { PREFLIGHT_ABORTS, describeAbsence, listRegions } from './shared';
import { fail, pass } from '../outcome';
import type { CheckDefinition } from '../definition';

const REGION_AWARE =
  'we judge the region and interface under test (a key-manager only reachable elsewhere serves no one here), the official testcase looks for the service type anywhere in the catalog';

export const scs0116Presence: CheckDefinition = {
  id: 'scs-0116-presence',
  title: 'Key manager service is discoverable',
  clause:
    'scs-0116-v1 "Key Manager Standard": CSPs SHOULD implement the Key Manager API (w1 automated test scs-0116-presence)',
  target: 'recommended',
  lifetime: 'week',
  preflight: true,
  expectations: {
    member: 'PASS',
    'application-credential': 'PASS',
    ...PREFLIGHT_ABORTS,
    'policy-denies-member': 'PASS',
    'no-key-manager': 'FAIL',
    'other-region-only': { verdict: 'FAIL', official: 'PASS', because: REGION_AWARE },
    'internal-only': { verdict: 'FAIL', official: 'PASS', because: REGION_AWARE },
    'admin-interface-only': { verdict: 'FAIL', official: 'PASS', because: REGION_AWARE },
    'disabled-endpoint': { verdict: 'FAIL', official: 'PASS', because: REGION_AWARE },
    'no-endpoints': { verdict: 'FAIL', official: 'PASS', because: REGION_AWARE },
    'case-variant-secret': 'PASS',
    proxy: 'PASS',
    'discovery-fails': 'PASS',
    'discovery-no-v1': 'PASS',
    'versioned-url-discovery-fails': 'PASS',
    'foreign-next-link': 'PASS',
    'foreign-host-href-one-page': 'PASS',
    'alias-next-link': 'PASS',
    'slow-create': 'PASS',
    'late-create': 'PASS',
    'created-secret-hidden': 'PASS',
    'full-check-set': 'PASS',
  },
  async run(ctx) {
    const km = await ctx.keyManager();
    const where = ctx.region ? `region ${ctx.region}` : 'the catalog';
    if (km.present) {
      return pass(
        `The catalog lists a key-manager${km.serviceName ? ` (${km.serviceName})` : ''} with a ${ctx.iface} endpoint in ${km.region ? `region ${km.region}` : 'the catalog'}: ${km.endpoint.catalogUrl}.`,
        { region: km.region, interface: ctx.iface, url: km.endpoint.catalogUrl, service: km.serviceName },
      );
    }
    const details = {
      region: ctx.region ?? null,
      interface: ctx.iface,
      regionsWithKeyManager: km.anyInterfaceRegions,
      absence: km.absence,
    };
    switch (km.absence.cause) {
      case 'not-in-catalog':
        return fail(
          'The service catalog lists no key-manager service; deploy Barbican (or another key-manager API) and register it as service type key-manager.',
          details,
        );
      case 'no-endpoints':
        return fail(
          `The catalog lists a key-manager service, but ${describeAbsence(km.absence, ctx.iface, ctx.region)}; register (or enable) a ${ctx.iface} endpoint for it in ${ctx.region ?? 'the region'}.`,
          details,
        );
      case 'other-interfaces':
        return fail(
          `The key-manager has no ${ctx.iface} endpoint in ${where} (${describeAbsence(km.absence, ctx.iface, ctx.region)}); register a ${ctx.iface} endpoint for service type key-manager there.`,
          details,
        );
      case 'other-regions':
        return fail(
          `The catalog lists key-manager only in ${listRegions(km.absence.regions.map((r) => r.region))}, not in ${where}; register a ${ctx.iface} key-manager endpoint in ${ctx.region ?? 'this region'}.`,
          details,
        );
    }
  },
};
