// The lab's Keystone catalog, changed as its cloud admin would (POST/PATCH/DELETE on /v3/regions,
// /v3/services and /v3/endpoints): regions whose key-manager is usable only on other interfaces,
// a disabled endpoint, a key-manager service without endpoints, the fault proxy's region. Tokens
// issued afterwards carry the changed catalog (Keystone builds the catalog per token).

import { HttpClient, KeystoneClient, joinUrl, type KeystoneSession } from '../lib/openstack';
import type { LabJson } from './lab-control';

export class CatalogAdmin {
  private constructor(
    private readonly http: HttpClient,
    private readonly session: KeystoneSession,
    private readonly base: string,
  ) {}

  static async login(j: LabJson): Promise<CatalogAdmin> {
    const http = new HttpClient({ allowPrivateAddresses: true });
    const session = await new KeystoneClient(http).authenticate({
      type: 'password',
      authUrl: j.auth_url,
      username: j.cloud_admin.username,
      userDomainName: 'Default',
      password: j.cloud_admin.password,
      projectName: 'admin',
      projectDomainName: 'Default',
    });
    return new CatalogAdmin(http, session, j.auth_url);
  }

  private async call<T = Record<string, unknown>>(method: string, path: string, json?: unknown): Promise<T> {
    const res = await this.http.request({
      service: 'identity',
      method,
      url: joinUrl(this.base, path),
      json,
      headers: this.session.authHeaders(),
    });
    if (res.status >= 300)
      throw new Error(`Keystone ${method} ${path}: HTTP ${res.status} ${res.text().slice(0, 200)}`);
    return (res.body.length > 0 ? JSON.parse(res.text()) : {}) as T;
  }

  async serviceId(type: string, name?: string): Promise<string | undefined> {
    const { services } = await this.call<{ services: Array<{ id: string; name?: string }> }>(
      'GET',
      `services?type=${encodeURIComponent(type)}`,
    );
    return services.find((s) => name === undefined || s.name === name)?.id;
  }

  async ensureRegion(id: string, description: string): Promise<void> {
    const { regions } = await this.call<{ regions: Array<{ id: string }> }>('GET', 'regions');
    if (!regions.some((r) => r.id === id)) await this.call('POST', 'regions', { region: { id, description } });
  }

  async createService(type: string, name: string): Promise<string> {
    const { service } = await this.call<{ service: { id: string } }>('POST', 'services', { service: { type, name } });
    return service.id;
  }

  async setServiceEnabled(id: string, enabled: boolean): Promise<void> {
    await this.call('PATCH', `services/${id}`, { service: { enabled } });
  }

  async deleteService(id: string): Promise<void> {
    await this.call('DELETE', `services/${id}`);
  }

  async createEndpoint(spec: {
    serviceId: string;
    iface: 'public' | 'internal' | 'admin';
    url: string;
    region: string;
    enabled?: boolean;
  }): Promise<string> {
    const { endpoint } = await this.call<{ endpoint: { id: string } }>('POST', 'endpoints', {
      endpoint: {
        service_id: spec.serviceId,
        interface: spec.iface,
        url: spec.url,
        region_id: spec.region,
        enabled: spec.enabled ?? true,
      },
    });
    return endpoint.id;
  }

  /** A region with Keystone's public endpoint and the given key-manager endpoints. */
  async region(
    id: string,
    description: string,
    keyManager: Array<{ iface: 'public' | 'internal' | 'admin'; url: string; enabled?: boolean }>,
  ): Promise<void> {
    await this.ensureRegion(id, description);
    const identity = await this.serviceId('identity');
    if (identity) await this.createEndpoint({ serviceId: identity, iface: 'public', url: this.base, region: id });
    const km = await this.serviceId('key-manager', 'barbican');
    if (!km) throw new Error('the lab has no key-manager service named barbican');
    for (const e of keyManager) await this.createEndpoint({ serviceId: km, region: id, ...e });
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
