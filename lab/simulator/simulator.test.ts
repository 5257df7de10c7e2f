// The simulator must behave like the real lab where the checks can tell (status codes per role
// and policy, as measured in lab/NOTES.md section 4), and its fault plan must match as declared.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BarbicanClient,
  HttpClient,
  KeystoneClient,
  keyManagerEndpoint,
  type KeystoneSession,
} from '../../lib/openstack';
import { FaultPlan } from './faults';
import { simulatorAuth, type SimPersona } from './cloud';
import { OpenStackSimulator } from './simulator';

describe('FaultPlan', () => {
  it('matches by service, method and path prefix, honouring skip and times', () => {
    const plan = new FaultPlan();
    plan.add({
      service: 'barbican',
      method: 'GET',
      path: '/v1/secrets',
      skip: 1,
      times: 2,
      action: { kind: 'status', status: 503 },
    });
    const hits = [1, 2, 3, 4].map(() => plan.match('barbican', 'GET', '/v1/secrets?name=x')?.action.kind ?? null);
    expect(hits).toEqual([null, 'status', 'status', null]);
    expect(plan.match('keystone', 'GET', '/v1/secrets')).toBeUndefined();
    expect(plan.match('barbican', 'POST', '/v1/secrets')).toBeUndefined();
  });

  it('matches a RegExp against path and query', () => {
    const plan = new FaultPlan();
    plan.add({ service: 'barbican', path: /target\.secret\.read=read/, action: { kind: 'hang' } });
    expect(plan.match('barbican', 'GET', '/v1/secrets/x/payload')).toBeUndefined();
    expect(plan.match('barbican', 'GET', '/v1/secrets/x/payload?target.secret.read=read')).toBeDefined();
  });
});

describe('Barbican policy of the simulator (lab/NOTES.md section 4)', () => {
  const sims: Record<string, OpenStackSimulator> = {};
  const http = new HttpClient({ allowPrivateAddresses: true });
  beforeAll(async () => {
    sims.creator = await new OpenStackSimulator({ policy: 'creator' }).start();
    sims.default = await new OpenStackSimulator({ policy: 'default' }).start();
  });
  afterAll(async () => {
    await http.close();
    await Promise.all(Object.values(sims).map((s) => s.stop()));
  });

  async function as(
    policy: string,
    persona: SimPersona,
  ): Promise<{ client: BarbicanClient; session: KeystoneSession }> {
    const sim = sims[policy]!;
    const session = await new KeystoneClient(http).authenticate(simulatorAuth(sim, persona));
    return { session, client: new BarbicanClient(http, session, keyManagerEndpoint(sim.barbicanUrl)) };
  }

  async function createStatus(policy: string, persona: SimPersona): Promise<number> {
    const { client } = await as(policy, persona);
    const res = await client.call('POST', 'v1/secrets', {
      json: { name: 'probe', payload: 'probe-payload', payload_content_type: 'text/plain' },
    });
    if (res.status === 201) {
      const ref = (JSON.parse(res.text()) as { secret_ref: string }).secret_ref;
      await client.deleteSecret(ref.split('/').pop()!);
    }
    return res.status;
  }

  it.each([
    ['creator', 'member', 201],
    ['creator', 'appcred', 201],
    ['creator', 'reader', 403],
    ['creator', 'admin', 201],
    ['default', 'member', 403],
    ['default', 'appcred', 403],
    ['default', 'admin', 201],
  ] as const)('policy %s: %s creates a secret -> %i', async (policy, persona, status) => {
    expect(await createStatus(policy, persona)).toBe(status);
  });

  it('roles in the token are those of the lab users (implied roles included)', async () => {
    expect((await as('creator', 'admin')).session.token.roles).toEqual(['admin', 'member', 'reader']);
    expect((await as('creator', 'appcred')).session.token.roles).toEqual(['member', 'reader']);
  });

  it('another project gets 403 on a secret; members may not delete orders', async () => {
    const { client } = await as('creator', 'member');
    const secret = await client.createSecret({ name: 'iso', payload: 'isolated-payload' });
    const other = await as('creator', 'other');
    expect((await client.call('GET', `v1/secrets/${secret.uuid}/payload`, { session: other.session })).status).toBe(
      403,
    );
    await client.deleteSecret(secret.uuid);
    const order = await client.createKeyOrder({ name: 'o', algorithm: 'aes', bitLength: 256, mode: 'cbc' });
    expect((await client.getOrder(order.uuid)).status).toBe('ACTIVE');
    expect((await client.call('DELETE', `v1/orders/${order.uuid}`)).status).toBe(403);
  });

  it('answers version discovery with 300 and a v1 link, and secret stores with 404 "not enabled"', async () => {
    const { client } = await as('creator', 'member');
    expect(await client.versions()).toMatchObject({ status: 300, versions: [{ id: 'v1', status: 'stable' }] });
    expect(await client.globalDefaultStore()).toBeNull();
  });
});
