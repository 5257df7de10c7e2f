import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../openstack';
import { loadEnvCloud, loadNamedCloud, searchPaths, type ConfigEnvironment } from './clouds-config';

function fsEnv(files: Record<string, string>, env: Record<string, string> = {}, cwd = '/work/dir'): ConfigEnvironment {
  return { env, cwd, home: '/home/op', exists: (f) => f in files, readFile: (f) => files[f]! };
}

const CLOUDS = `
clouds:
  prod:
    auth:
      auth_url: https://keystone.example:5000
      username: alice
      user_domain_name: Default
      project_name: p1
      project_domain_name: Default
    region_name: RegionA
    interface: publicURL
  appcred:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.example:5000/v3
      application_credential_id: ac1
      application_credential_secret: from-clouds-yaml
    regions: [RegionB, RegionC]
  lab:
    auth: { auth_url: 'http://127.0.0.1:15000/v3', username: u, password: p, user_domain_id: default, project_id: x }
    verify: false
    allow_private_addresses: false
  tokened:
    auth_type: token
    auth: { auth_url: 'https://k', token: abc }
`;
const SECURE = `
clouds:
  prod:
    auth:
      password: from-secure-yaml
`;

describe('searchPaths', () => {
  it('follows openstacksdk: env file, cwd, ~/.config/openstack, /etc/openstack', () => {
    const paths = searchPaths('clouds', { env: { OS_CLIENT_CONFIG_FILE: '/x/my.yaml' }, cwd: '/w', home: '/h' });
    expect(paths[0]).toBe('/x/my.yaml');
    expect(paths.indexOf('/w/clouds.yaml')).toBeLessThan(paths.indexOf('/h/.config/openstack/clouds.yaml'));
    expect(paths.indexOf('/h/.config/openstack/clouds.yaml')).toBeLessThan(paths.indexOf('/etc/openstack/clouds.yaml'));
    expect(searchPaths('secure', { env: { XDG_CONFIG_HOME: '/xdg' }, cwd: '/w', home: '/h' })).toContain(
      '/xdg/openstack/secure.yaml',
    );
  });
});

describe('loadNamedCloud', () => {
  const files = { '/home/op/.config/openstack/clouds.yaml': CLOUDS, '/etc/openstack/secure.yaml': SECURE };

  it('merges secure.yaml over clouds.yaml and maps the keys', () => {
    const { cloud, source } = loadNamedCloud('prod', fsEnv(files));
    expect(source).toBe('/home/op/.config/openstack/clouds.yaml + /etc/openstack/secure.yaml');
    expect(cloud).toEqual({
      auth: {
        type: 'password',
        authUrl: 'https://keystone.example:5000',
        username: 'alice',
        userId: undefined,
        userDomainId: undefined,
        userDomainName: 'Default',
        password: 'from-secure-yaml',
        projectId: undefined,
        projectName: 'p1',
        projectDomainId: undefined,
        projectDomainName: 'Default',
      },
      region: 'RegionA',
      interface: 'public',
    });
  });

  it('reads application credentials and takes the first of several regions', () => {
    const { cloud } = loadNamedCloud('appcred', fsEnv(files));
    expect(cloud.auth).toMatchObject({
      type: 'application_credential',
      applicationCredentialId: 'ac1',
      applicationCredentialSecret: 'from-clouds-yaml',
    });
    expect(cloud.region).toBe('RegionB');
  });

  it('maps verify: false to the insecure switch and honours allow_private_addresses', () => {
    const { cloud } = loadNamedCloud('lab', fsEnv(files));
    expect(cloud.insecure).toBe(true);
    expect(cloud.allowPrivateAddresses).toBe(false);
  });

  it('prefers the current directory over the user config', () => {
    const { source } = loadNamedCloud('prod', fsEnv({ ...files, '/work/dir/clouds.yaml': CLOUDS }));
    expect(source.startsWith('/work/dir/clouds.yaml')).toBe(true);
  });

  it('reads cacert relative to the clouds.yaml', () => {
    const yaml = `clouds:\n  c:\n    cacert: ca.pem\n    auth: { auth_url: 'https://k/v3', username: u, password: p, user_domain_name: D, project_id: x }\n`;
    const { cloud } = loadNamedCloud(
      'c',
      fsEnv(
        { '/cfg/clouds.yaml': yaml, '/cfg/ca.pem': '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n' },
        { OS_CLIENT_CONFIG_FILE: '/cfg/clouds.yaml' },
      ),
    );
    expect(cloud.caBundle).toContain('BEGIN CERTIFICATE');
  });

  it.each([
    ['missing', /cloud "missing" is not in .* \(clouds there: prod, appcred, lab, tokened\)/],
    ['tokened', /auth_type "token" is not supported/],
  ])('explains configuration errors (%s) without echoing secrets', (name, msg) => {
    expect(() => loadNamedCloud(name, fsEnv(files))).toThrow(msg);
  });

  it('fails with the search path when no clouds.yaml exists', () => {
    expect(() => loadNamedCloud('prod', fsEnv({}))).toThrow(ConfigError);
    expect(() => loadNamedCloud('prod', fsEnv({}))).toThrow(/no clouds.yaml found/);
  });

  it('reports incomplete credentials as a configuration error', () => {
    const yaml =
      'clouds:\n  half:\n    auth: { auth_url: "https://k/v3", username: u, user_domain_name: D, project_id: x }\n';
    expect(() => loadNamedCloud('half', fsEnv({ [path.join('/work/dir', 'clouds.yaml')]: yaml }))).toThrow(
      /cloud "half": password is missing/,
    );
  });

  it('loads a password credential without a project (its run ABORTs every testcase, as openstack_test.py)', () => {
    const yaml =
      'clouds:\n  unscoped:\n    auth: { auth_url: "https://k/v3", username: u, password: p, user_domain_name: D }\n';
    const loaded = loadNamedCloud('unscoped', fsEnv({ [path.join('/work/dir', 'clouds.yaml')]: yaml }));
    expect(loaded.cloud.auth).toMatchObject({ type: 'password', username: 'u' });
    expect(loaded.cloud.auth).not.toHaveProperty('projectId', expect.anything());
  });
});

describe('loadEnvCloud (openrc)', () => {
  it('builds a password cloud from OS_* variables, with OS_DEFAULT_DOMAIN for both domains', () => {
    const loaded = loadEnvCloud(
      fsEnv(
        {},
        {
          OS_AUTH_URL: 'https://k:5000/v3',
          OS_USERNAME: 'bob',
          OS_PASSWORD: 'pw',
          OS_PROJECT_NAME: 'proj',
          OS_DEFAULT_DOMAIN: 'default',
          OS_REGION_NAME: 'R1',
          OS_INTERFACE: 'internal',
          OS_INSECURE: 'true',
        },
      ),
    );
    expect(loaded?.name).toBe('envvars');
    expect(loaded?.cloud).toMatchObject({
      auth: {
        type: 'password',
        username: 'bob',
        userDomainId: 'default',
        projectName: 'proj',
        projectDomainId: 'default',
      },
      region: 'R1',
      interface: 'internal',
      insecure: true,
    });
  });

  it('builds an application credential cloud', () => {
    const loaded = loadEnvCloud(
      fsEnv(
        {},
        {
          OS_AUTH_URL: 'https://k/v3',
          OS_AUTH_TYPE: 'v3applicationcredential',
          OS_APPLICATION_CREDENTIAL_ID: 'id',
          OS_APPLICATION_CREDENTIAL_SECRET: 's',
        },
      ),
    );
    expect(loaded?.cloud.auth).toMatchObject({ type: 'application_credential', applicationCredentialId: 'id' });
  });

  it('is absent without OS_AUTH_URL', () => {
    expect(loadEnvCloud(fsEnv({}, { OS_USERNAME: 'x' }))).toBeUndefined();
  });
});
