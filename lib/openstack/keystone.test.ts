import { describe, expect, it } from 'vitest';
import { endpointAbsence, normaliseInterface, parseCatalog, regionsOffering, selectEndpoint } from './catalog';
import { ConfigError } from './errors';
import { Token, authBody, parseVersions, validateAuth } from './keystone';

describe('authBody', () => {
  it('password auth with user and project by name and domain', () => {
    expect(
      authBody({
        type: 'password',
        authUrl: 'https://k/v3',
        username: 'u',
        userDomainName: 'D',
        password: 'p',
        projectName: 'proj',
        projectDomainId: 'd1',
      }),
    ).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', domain: { name: 'D' }, password: 'p' } } },
        scope: { project: { name: 'proj', domain: { id: 'd1' } } },
      },
    });
  });

  it('password auth with ids', () => {
    const body = authBody({
      type: 'password',
      authUrl: 'https://k/v3',
      userId: 'uid',
      password: 'p',
      projectId: 'pid',
    }) as { auth: { scope: unknown; identity: { password: { user: unknown } } } };
    expect(body.auth.scope).toEqual({ project: { id: 'pid' } });
    expect(body.auth.identity.password.user).toEqual({ id: 'uid', password: 'p' });
  });

  it('application credential by id, and by name with its user', () => {
    expect(
      authBody({
        type: 'application_credential',
        authUrl: 'https://k/v3',
        applicationCredentialId: 'acid',
        applicationCredentialSecret: 's',
      }),
    ).toEqual({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'acid', secret: 's' } } },
    });
    const byName = authBody({
      type: 'application_credential',
      authUrl: 'https://k/v3',
      applicationCredentialName: 'n',
      applicationCredentialSecret: 's',
      username: 'u',
      userDomainName: 'D',
    });
    expect(byName).toEqual({
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { name: 'n', secret: 's', user: { name: 'u', domain: { name: 'D' } } },
        },
      },
    });
  });
});

describe('validateAuth', () => {
  it.each([
    [
      { type: 'password', authUrl: '', username: 'u', password: 'p', projectId: 'x', userDomainName: 'D' },
      /auth_url is missing/,
    ],
    [
      { type: 'password', authUrl: 'ftp://x', username: 'u', password: 'p', projectId: 'x', userDomainName: 'D' },
      /not an http/,
    ],
    [{ type: 'password', authUrl: 'https://k', username: 'u', password: 'p', userDomainName: 'D' }, /names no project/],
    [{ type: 'password', authUrl: 'https://k', username: 'u', password: 'p', projectId: 'x' }, /user_domain_name/],
    [
      { type: 'password', authUrl: 'https://k', username: 'u', password: 'p', projectName: 'x', userDomainName: 'D' },
      /project_domain_name/,
    ],
    [
      {
        type: 'application_credential',
        authUrl: 'https://k',
        applicationCredentialSecret: 's',
        applicationCredentialName: 'n',
      },
      /needs its user/,
    ],
    [
      {
        type: 'application_credential',
        authUrl: 'https://k',
        applicationCredentialId: 'i',
        applicationCredentialSecret: '',
      },
      /secret is missing/,
    ],
  ] as const)('rejects %j', (auth, msg) => {
    expect(() => validateAuth(auth as never)).toThrow(ConfigError);
    expect(() => validateAuth(auth as never)).toThrow(msg);
  });

  it('accepts a password credential without a project when asked to (loading a cloud, not authenticating)', () => {
    const auth = { type: 'password', authUrl: 'https://k', username: 'u', password: 'p', userDomainName: 'D' } as const;
    expect(() => validateAuth(auth, { requireProject: false })).not.toThrow();
    expect(() => validateAuth(auth)).toThrow(/names no project/);
  });
});

describe('catalog', () => {
  const catalog = parseCatalog([
    { type: 'identity', endpoints: [{ interface: 'public', region_id: 'R1', url: 'https://k/v3' }] },
    {
      type: 'key-manager',
      name: 'barbican',
      endpoints: [
        { interface: 'internal', region_id: 'R1', url: 'http://10.0.0.1:9311' },
        { interface: 'public', region_id: 'R2', url: 'https://km.r2:9311' },
        { interface: 'public', region: 'R3', url: 'https://km.r3:9311' },
      ],
    },
    { bogus: true },
  ]);

  it('selects by type, interface and region', () => {
    expect(selectEndpoint(catalog, 'key-manager', 'public', 'R2')?.endpoint.url).toBe('https://km.r2:9311');
    expect(selectEndpoint(catalog, 'key-manager', 'public', 'R3')?.endpoint.url).toBe('https://km.r3:9311');
    expect(selectEndpoint(catalog, 'key-manager', 'public', 'R1')).toBeUndefined();
    expect(selectEndpoint(catalog, 'key-manager', 'internal', 'R1')?.endpoint.url).toBe('http://10.0.0.1:9311');
    expect(selectEndpoint(catalog, 'key-manager', 'public')?.endpoint.url).toBe('https://km.r2:9311');
  });

  it('says why no endpoint matched: other interfaces, other regions, no endpoints, no service', () => {
    expect(endpointAbsence(catalog, 'key-manager', 'R1')).toEqual({
      cause: 'other-interfaces',
      interfaces: ['internal'],
    });
    expect(endpointAbsence(catalog, 'key-manager', 'R9')).toEqual({
      cause: 'other-regions',
      regions: [
        { region: 'R1', interfaces: ['internal'] },
        { region: 'R2', interfaces: ['public'] },
        { region: 'R3', interfaces: ['public'] },
      ],
    });
    const empty = parseCatalog([{ type: 'key-manager', name: 'barbican', endpoints: [] }]);
    expect(endpointAbsence(empty, 'key-manager', 'R1')).toEqual({ cause: 'no-endpoints' });
    expect(endpointAbsence(catalog, 'volumev3', 'R1')).toEqual({ cause: 'not-in-catalog' });
  });

  it('lists the regions offering a service', () => {
    expect(regionsOffering(catalog, 'key-manager', 'public')).toEqual(['R2', 'R3']);
    expect(regionsOffering(catalog, 'key-manager')).toEqual(['R1', 'R2', 'R3']);
  });

  it('accepts the interface spellings of openrc files', () => {
    expect(normaliseInterface('publicURL')).toBe('public');
    expect(normaliseInterface('INTERNAL')).toBe('internal');
    expect(normaliseInterface(undefined)).toBe('public');
    expect(() => normaliseInterface('private')).toThrow(/unknown endpoint interface/);
  });
});

describe('versions and token', () => {
  it('parses both the 300 Multiple Choices and the single-version documents', () => {
    expect(
      parseVersions({
        versions: { values: [{ id: 'v1', status: 'stable', links: [{ rel: 'self', href: 'http://b/v1/' }] }] },
      }),
    ).toEqual([{ id: 'v1', status: 'stable', url: 'http://b/v1/', minVersion: undefined, maxVersion: undefined }]);
    expect(parseVersions({ version: { id: 'v3.14', status: 'stable', links: [] } })[0]!.id).toBe('v3.14');
  });

  it('never serialises the token value', () => {
    const t = new Token(
      'gAAAAA-the-token',
      '2030-01-01T00:00:00Z',
      ['member'],
      { id: 'p' },
      { id: 'u' },
      [],
      ['password'],
    );
    expect(JSON.stringify(t)).not.toContain('the-token');
    expect(t.secretValue()).toBe('gAAAAA-the-token');
  });
});
