// The service catalog of a project-scoped Keystone token, and endpoint selection by service
// type, interface and region the way keystoneauth does it.

export type Interface = 'public' | 'internal' | 'admin';

export interface CatalogEndpoint {
  id?: string;
  interface: string;
  region: string | null;
  url: string;
}

export interface CatalogService {
  id?: string;
  type: string;
  name?: string;
  endpoints: CatalogEndpoint[];
}

/** Accept the spellings clouds.yaml and openrc files use: public, publicURL, PUBLIC. */
export function normaliseInterface(value: string | undefined): Interface {
  const v = (value ?? 'public').trim().toLowerCase().replace(/url$/, '');
  if (v === 'public' || v === 'internal' || v === 'admin') return v;
  throw new RangeError(`unknown endpoint interface "${value}" (expected public, internal or admin)`);
}

export function parseCatalog(raw: unknown): CatalogService[] {
  if (!Array.isArray(raw)) return [];
  const services: CatalogService[] = [];
  for (const entry of raw) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    if (typeof e.type !== 'string') continue;
    const endpoints: CatalogEndpoint[] = [];
    for (const ep of Array.isArray(e.endpoints) ? e.endpoints : []) {
      if (!ep || typeof ep !== 'object') continue;
      const p = ep as Record<string, unknown>;
      if (typeof p.url !== 'string' || typeof p.interface !== 'string') continue;
      const region = typeof p.region_id === 'string' ? p.region_id : typeof p.region === 'string' ? p.region : null;
      endpoints.push({ id: typeof p.id === 'string' ? p.id : undefined, interface: p.interface, region, url: p.url });
    }
    services.push({
      id: typeof e.id === 'string' ? e.id : undefined,
      type: e.type,
      name: typeof e.name === 'string' ? e.name : undefined,
      endpoints,
    });
  }
  return services;
}

export interface EndpointChoice {
  service: CatalogService;
  endpoint: CatalogEndpoint;
}

/**
 * The endpoint for a service type on an interface, in a region when one is given (without a
 * region, the first matching endpoint in any region, as keystoneauth does).
 */
export function selectEndpoint(
  catalog: CatalogService[],
  type: string,
  iface: Interface,
  region?: string,
): EndpointChoice | undefined {
  for (const service of catalog) {
    if (service.type !== type) continue;
    for (const endpoint of service.endpoints) {
      if (endpoint.interface.toLowerCase().replace(/url$/, '') !== iface) continue;
      if (region && endpoint.region !== region) continue;
      return { service, endpoint };
    }
  }
  return undefined;
}

/** Every region in which the catalog lists the service type (on the interface, when given). */
export function regionsOffering(catalog: CatalogService[], type: string, iface?: Interface): string[] {
  const regions = new Set<string>();
  for (const service of catalog) {
    if (service.type !== type) continue;
    for (const endpoint of service.endpoints) {
      if (iface && endpoint.interface.toLowerCase().replace(/url$/, '') !== iface) continue;
      regions.add(endpoint.region ?? '(no region)');
    }
  }
  return [...regions].sort();
}

/** Why the catalog offers no endpoint of a service type on an interface in a region. */
export type EndpointAbsence =
  /** No service of the type at all. */
  | { cause: 'not-in-catalog' }
  /** The service is listed without endpoints (Keystone leaves disabled endpoints out of a token's catalog). */
  | { cause: 'no-endpoints' }
  /** Endpoints in the region (any region without one), but none on the interface. */
  | { cause: 'other-interfaces'; interfaces: string[] }
  /** Endpoints only in other regions (with the interfaces each offers). */
  | { cause: 'other-regions'; regions: Array<{ region: string; interfaces: string[] }> };

/**
 * Why selectEndpoint() found nothing (call it only then): the facts behind keystoneauth's EndpointNotFound, so that a
 * message can name the cause ("only internal endpoints", "only in region X", "no endpoints").
 */
export function endpointAbsence(catalog: CatalogService[], type: string, region?: string): EndpointAbsence {
  const services = catalog.filter((s) => s.type === type);
  if (services.length === 0) return { cause: 'not-in-catalog' };
  const endpoints = services.flatMap((s) => s.endpoints);
  if (endpoints.length === 0) return { cause: 'no-endpoints' };
  const norm = (e: CatalogEndpoint) => e.interface.toLowerCase().replace(/url$/, '');
  const here = endpoints.filter((e) => !region || e.region === region);
  if (here.length > 0) return { cause: 'other-interfaces', interfaces: [...new Set(here.map(norm))].sort() };
  const byRegion = new Map<string, Set<string>>();
  for (const e of endpoints) {
    const r = e.region ?? '(no region)';
    if (!byRegion.has(r)) byRegion.set(r, new Set());
    byRegion.get(r)!.add(norm(e));
  }
  return {
    cause: 'other-regions',
    regions: [...byRegion]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([r, set]) => ({ region: r, interfaces: [...set].sort() })),
  };
}
