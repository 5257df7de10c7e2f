import { describe, expect, test } from 'vitest';
import { ValidationError } from '../errors';
import { cloudsYamlEntries, fromCloudsYaml, fromExplicit, fromOpenrc, parseOpenrc } from './import';

const D = { region: 'RegionOne' };
const SECRET = 'Canary-Import-Pw-91x';

function fields(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    const f = (err as ValidationError).fields ?? {};
    for (const m of Object.values(f)) expect(m).not.toContain(SECRET);
    return f;
  }
  throw new Error('expected a ValidationError');
}

const yaml = `
clouds:
  lab:
    auth:
      auth_url: https://keystone.example.com:5000/v3
      username: alice
      password: ${SECRET}
      user_domain_name: Default
      project_name: demo
      project_domain_name: Default
    region_name: RegionTwo
    interface: public
  appcred:
    auth_type: v3applicationcredential
    auth:
      auth_url: https://keystone.example.com:5000
      application_credential_id: 0123abcd
    region_name: RegionOne
`;
const secure = `
clouds:
  appcred:
    auth:
      application_credential_secret: ${SECRET}
`;

describe('clouds.yaml import', () => {
  test('picks an entry; secure.yaml merges in', () => {
    expect(cloudsYamlEntries(yaml)).toEqual(['lab', 'appcred']);
    const lab = fromCloudsYaml({ clouds_yaml: yaml, cloud: 'lab' }, D);
    expect(lab.auth).toMatchObject({
      type: 'password',
      username: 'alice',
      password: SECRET,
      projectName: 'demo',
      projectDomainName: 'Default',
    });
    expect(lab.region).toBe('RegionTwo');
    const ac = fromCloudsYaml(
      { clouds_yaml: yaml, secure_yaml: secure, cloud: 'appcred' },
      { region: 'RegionOne', allowPrivateAddresses: true },
    );
    expect(ac.auth).toMatchObject({
      type: 'application_credential',
      applicationCredentialId: '0123abcd',
      applicationCredentialSecret: SECRET,
    });
    expect(ac.allowPrivateAddresses).toBe(true);
  });

  test('asks for an entry when there are several, and names them', () => {
    expect(fields(() => fromCloudsYaml({ clouds_yaml: yaml }, D)).cloud).toBe('Choose an entry: lab, appcred.');
    expect(fields(() => fromCloudsYaml({ clouds_yaml: yaml, cloud: 'nope' }, D)).cloud).toMatch(
      /no entry "nope"; it has lab, appcred/,
    );
  });

  test('missing secret, unsupported auth type, Keystone v2 URL, no project scope', () => {
    expect(fields(() => fromCloudsYaml({ clouds_yaml: yaml, cloud: 'appcred' }, D)).clouds_yaml).toMatch(
      /secret is missing.*secure\.yaml/,
    );
    const token = 'clouds:\n  t:\n    auth_type: v3token\n    auth:\n      auth_url: https://k/v3\n      token: abc\n';
    expect(fields(() => fromCloudsYaml({ clouds_yaml: token }, D)).clouds_yaml).toMatch(
      /auth_type "v3token" is not supported/,
    );
    const v2 = `clouds:\n  o:\n    auth:\n      auth_url: https://k:5000/v2.0\n      username: a\n      password: ${SECRET}\n      project_name: p\n    identity_api_version: 2\n`;
    expect(fields(() => fromCloudsYaml({ clouds_yaml: v2 }, D)).clouds_yaml).toMatch(/Keystone v2/);
    const noProject = `clouds:\n  o:\n    auth:\n      auth_url: https://k/v3\n      username: a\n      password: ${SECRET}\n      user_domain_name: Default\n`;
    expect(fields(() => fromCloudsYaml({ clouds_yaml: noProject }, D)).clouds_yaml).toMatch(/No project scope/);
  });

  test('a YAML syntax error gives line and column, never the offending line', () => {
    const bad = `clouds:\n  o:\n    auth:\n      password: "${SECRET}\n   x: [\n`;
    const message = fields(() => fromCloudsYaml({ clouds_yaml: bad }, D)).clouds_yaml;
    expect(message).toMatch(/^clouds\.yaml is not valid YAML: .+ at line \d+, column \d+\.$/);
    expect(message).not.toContain(SECRET);
    const indent = 'clouds:\n  o:\n    auth:\n      auth_url: https://k/v3\n     region_name: R\n';
    expect(fields(() => fromCloudsYaml({ clouds_yaml: indent }, D)).clouds_yaml).toBe(
      'clouds.yaml is not valid YAML: the indentation does not line up at line 5, column 1.',
    );
    const twice = 'clouds:\n  o:\n    region_name: A\n    region_name: B\n';
    expect(fields(() => fromCloudsYaml({ clouds_yaml: twice }, D)).clouds_yaml).toMatch(
      /a key appears twice at line 4, column 5/,
    );
    expect(fields(() => fromCloudsYaml({ clouds_yaml: 'x: 1\n' }, D)).clouds_yaml).toMatch(/no "clouds:" section/);
  });

  test('a problem in an entry names the line and column of the key at fault', () => {
    const noSecret =
      'clouds:\n  lab:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: http://k/v3\n      application_credential_id: x\n';
    expect(fields(() => fromCloudsYaml({ clouds_yaml: noSecret }, D)).clouds_yaml).toMatch(
      /^Entry "lab": The application credential secret is missing.* \(line 4, column 5\)\.$/,
    );
    const badUrl = `clouds:\n  lab:\n    auth:\n      auth_url: ftp://k/v3\n      user_id: u\n      password: ${SECRET}\n      project_id: p\n`;
    expect(fields(() => fromCloudsYaml({ clouds_yaml: badUrl }, D)).clouds_yaml).toMatch(
      /auth_url must be an http\(s\) URL.*\(line 4, column 7\)/,
    );
  });

  test('verify: false is refused', () => {
    const v = `clouds:\n  o:\n    verify: false\n    auth:\n      auth_url: https://k/v3\n      user_id: u\n      password: ${SECRET}\n      project_id: p\n`;
    expect(fields(() => fromCloudsYaml({ clouds_yaml: v }, D)).clouds_yaml).toMatch(
      /TLS verification cannot be switched off.*CA bundle.*\(line 3, column 5\)/,
    );
  });
});

describe('openrc import', () => {
  const rc = `#!/usr/bin/env bash
export OS_AUTH_URL=https://keystone.example.com:5000/v3
export OS_PROJECT_ID=abc123
export OS_PROJECT_NAME="demo"
export OS_USER_DOMAIN_NAME="Default"
export OS_USERNAME="alice"
echo "Please enter your OpenStack Password: "
read -sr OS_PASSWORD_INPUT
export OS_PASSWORD=$OS_PASSWORD_INPUT
export OS_REGION_NAME="RegionOne"
export OS_INTERFACE=public
export OS_IDENTITY_API_VERSION=3
`;
  test("Horizon's file with the password typed beside it", () => {
    expect(parseOpenrc(rc).OS_PASSWORD).toBeUndefined();
    expect(fields(() => fromOpenrc({ openrc: rc }, D)).password).toMatch(/password is missing/);
    expect(fields(() => fromOpenrc({ openrc: 'export OS_USERNAME=a\n' }, D)).openrc).toMatch(/^OS_AUTH_URL is missing/);
    const c = fromOpenrc({ openrc: rc, password: SECRET }, D);
    expect(c.auth).toMatchObject({ type: 'password', username: 'alice', projectId: 'abc123', password: SECRET });
  });
  test('application credential openrc', () => {
    const ac = `export OS_AUTH_TYPE=v3applicationcredential\nexport OS_AUTH_URL=https://k/v3\nexport OS_APPLICATION_CREDENTIAL_ID=id1\nexport OS_APPLICATION_CREDENTIAL_SECRET='${SECRET}'\n`;
    expect(fromOpenrc({ openrc: ac }, D).auth).toMatchObject({
      type: 'application_credential',
      applicationCredentialSecret: SECRET,
    });
  });
});

describe('explicit fields', () => {
  test('errors are keyed to the fields', () => {
    const f = fields(() => fromExplicit({ type: 'password', auth_url: 'https://k/v2.0', username: 'a' }, D));
    expect(Object.keys(f).sort()).toEqual(['auth_url', 'password', 'project_id', 'username']);
    // The form's labels, not the clouds.yaml keys.
    expect(f.auth_url).toMatch(/^The Keystone auth URL .* is a Keystone v2 URL/);
    expect(f.username).toBe('The user domain is missing for a user given by name.');
    expect(fields(() => fromExplicit({ type: 'password', auth_url: 'keystone' }, D)).auth_url).toBe(
      'The Keystone auth URL must be an http(s) URL, like https://keystone.example.com:5000/v3.',
    );
    expect(
      fields(() =>
        fromExplicit({ type: 'application_credential', auth_url: 'https://k/v3', application_credential_id: 'x' }, D),
      ).application_credential_secret,
    ).toMatch(/missing/);
  });
});
