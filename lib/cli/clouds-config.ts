// Cloud configuration the way OpenStack's own tools find it:
//   * clouds.yaml / secure.yaml: $OS_CLIENT_CONFIG_FILE / $OS_CLIENT_SECURE_FILE, then the
//     current directory, ~/.config/openstack ($XDG_CONFIG_HOME/openstack), /etc/openstack; the
//     first file found is used, and secure.yaml is merged over clouds.yaml (openstacksdk's
//     loader does the same);
//   * a cloud is chosen with --os-cloud or $OS_CLOUD; without one, the OS_* variables of an
//     openrc file describe the cloud (openstacksdk's "envvars" cloud).
// As with openstacksdk (which the official openstack_test.py uses), the OS_* variables do not
// alter a cloud chosen by name; the CLI's own --os-region-name etc. do.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, validateAuth, type AuthConfig } from '../openstack';
import type { CloudConfig } from '../checks/types';

export interface ConfigEnvironment {
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  /** Reads a file; injectable for tests. */
  readFile?: (file: string) => string;
  exists?: (file: string) => boolean;
}

type Entry = Record<string, unknown>;

const NAMES = (base: string) => [`${base}.yaml`, `${base}.yml`, `${base}.json`];

export function searchPaths(base: 'clouds' | 'secure', e: ConfigEnvironment): string[] {
  const explicit = base === 'clouds' ? e.env.OS_CLIENT_CONFIG_FILE : e.env.OS_CLIENT_SECURE_FILE;
  const configHome = e.env.XDG_CONFIG_HOME || path.join(e.home, '.config');
  const dirs = [e.cwd, path.join(configHome, 'openstack'), '/etc/openstack'];
  return [...(explicit ? [explicit] : []), ...dirs.flatMap((d) => NAMES(base).map((n) => path.join(d, n)))];
}

function loadFirst(base: 'clouds' | 'secure', e: ConfigEnvironment): { file: string; data: Entry } | undefined {
  const exists = e.exists ?? existsSync;
  const read = e.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  for (const file of searchPaths(base, e)) {
    if (!exists(file)) continue;
    let data: unknown;
    try {
      data = parseYaml(read(file));
    } catch (err) {
      throw new ConfigError(
        `${file} is not valid YAML/JSON (${err instanceof Error ? err.message.split('\n')[0] : 'parse error'}).`,
      );
    }
    if (data === null || data === undefined) data = {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`${file} does not contain a mapping.`);
    return { file, data: data as Entry };
  }
  return undefined;
}

function deepMerge(a: Entry, b: Entry): Entry {
  const out: Entry = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isEntry(cur) && isEntry(v) ? deepMerge(cur, v) : v;
  }
  return out;
}

function isEntry(v: unknown): v is Entry {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(s)) return true;
    if (['false', 'no', '0', 'off'].includes(s)) return false;
  }
  return undefined;
}

export interface LoadedCloud {
  name: string;
  /** Where the settings came from (files or environment), for messages. */
  source: string;
  cloud: CloudConfig;
}

/** The named cloud from clouds.yaml (+ secure.yaml). */
export function loadNamedCloud(name: string, e: ConfigEnvironment): LoadedCloud {
  const clouds = loadFirst('clouds', e);
  if (!clouds) {
    throw new ConfigError(
      `no clouds.yaml found (looked in ${searchPaths('clouds', e)
        .filter((p) => p.endsWith('.yaml'))
        .join(', ')}).`,
    );
  }
  const secure = loadFirst('secure', e);
  const all = isEntry(clouds.data.clouds) ? clouds.data.clouds : {};
  const secureAll = secure && isEntry(secure.data.clouds) ? secure.data.clouds : {};
  const base = all[name];
  if (!isEntry(base)) {
    const known = Object.keys(all);
    throw new ConfigError(
      `cloud "${name}" is not in ${clouds.file}${known.length ? ` (clouds there: ${known.join(', ')})` : ''}.`,
    );
  }
  const extra = secureAll[name];
  const entry = isEntry(extra) ? deepMerge(base, extra) : base;
  if (entry.profile !== undefined) {
    throw new ConfigError(
      `cloud "${name}" uses a vendor profile ("profile"), which km-check does not resolve; write out auth_url and region_name instead.`,
    );
  }
  const sources = [clouds.file, ...(isEntry(extra) && secure ? [secure.file] : [])];
  return { name, source: sources.join(' + '), cloud: cloudFromEntry(entry, name, path.dirname(clouds.file), e) };
}

/** The cloud described by OS_* variables (an openrc file), or undefined when there is none. */
export function loadEnvCloud(e: ConfigEnvironment): LoadedCloud | undefined {
  const env = e.env;
  if (!env.OS_AUTH_URL) return undefined;
  const authType = env.OS_AUTH_TYPE;
  const auth: Entry = {
    auth_url: env.OS_AUTH_URL,
    username: env.OS_USERNAME,
    user_id: env.OS_USER_ID,
    password: env.OS_PASSWORD,
    user_domain_name: env.OS_USER_DOMAIN_NAME,
    user_domain_id: env.OS_USER_DOMAIN_ID,
    project_name: env.OS_PROJECT_NAME ?? env.OS_TENANT_NAME,
    project_id: env.OS_PROJECT_ID ?? env.OS_TENANT_ID,
    project_domain_name: env.OS_PROJECT_DOMAIN_NAME,
    project_domain_id: env.OS_PROJECT_DOMAIN_ID,
    default_domain_id: env.OS_DEFAULT_DOMAIN_ID ?? env.OS_DEFAULT_DOMAIN,
    default_domain_name: env.OS_DEFAULT_DOMAIN_NAME,
    application_credential_id: env.OS_APPLICATION_CREDENTIAL_ID,
    application_credential_name: env.OS_APPLICATION_CREDENTIAL_NAME,
    application_credential_secret: env.OS_APPLICATION_CREDENTIAL_SECRET,
  };
  const entry: Entry = {
    auth,
    auth_type: authType,
    region_name: env.OS_REGION_NAME,
    interface: env.OS_INTERFACE ?? env.OS_ENDPOINT_TYPE,
    cacert: env.OS_CACERT,
    insecure: env.OS_INSECURE,
  };
  return { name: 'envvars', source: 'OS_* environment variables', cloud: cloudFromEntry(entry, 'envvars', e.cwd, e) };
}

function cloudFromEntry(entry: Entry, name: string, baseDir: string, e: ConfigEnvironment): CloudConfig {
  const auth = authFromEntry(entry, name);
  try {
    // Without a project the run still happens and every testcase ABORTs, as in openstack_test.py.
    validateAuth(auth, { requireProject: false });
  } catch (err) {
    throw new ConfigError(`cloud "${name}": ${err instanceof Error ? err.message : String(err)}`);
  }
  const cloud: CloudConfig = { auth };
  const regions = Array.isArray(entry.regions) ? entry.regions : [];
  const firstRegion = regions.length > 0 ? (isEntry(regions[0]) ? str(regions[0].name) : str(regions[0])) : undefined;
  const region = str(entry.region_name) ?? firstRegion;
  if (region) cloud.region = region;
  const iface = str(entry.interface) ?? str(entry.endpoint_type);
  if (iface) {
    const v = iface.toLowerCase().replace(/url$/, '');
    if (v !== 'public' && v !== 'internal' && v !== 'admin')
      throw new ConfigError(`cloud "${name}": unknown interface "${iface}".`);
    cloud.interface = v;
  }
  const cacert = str(entry.cacert);
  if (cacert) cloud.caBundle = readCaBundle(path.resolve(baseDir, cacert), name, e);
  if (bool(entry.verify) === false || bool(entry.insecure) === true) cloud.insecure = true;
  const allowPrivate = bool(entry.allow_private_addresses);
  if (allowPrivate !== undefined) cloud.allowPrivateAddresses = allowPrivate;
  return cloud;
}

export function readCaBundle(file: string, name: string, e: ConfigEnvironment): string {
  const exists = e.exists ?? existsSync;
  const read = e.readFile ?? ((f: string) => readFileSync(f, 'utf8'));
  if (!exists(file)) throw new ConfigError(`cloud "${name}": CA bundle ${file} does not exist.`);
  const pem = read(file);
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new ConfigError(`cloud "${name}": ${file} contains no PEM certificate.`);
  return pem;
}

function authFromEntry(entry: Entry, name: string): AuthConfig {
  const a = isEntry(entry.auth) ? entry.auth : {};
  const authType = (
    str(entry.auth_type) ?? (str(a.application_credential_secret) ? 'v3applicationcredential' : 'password')
  ).toLowerCase();
  const authUrl = str(a.auth_url) ?? '';
  const defaultDomainId = str(a.default_domain_id) ?? str(a.domain_id);
  const defaultDomainName = str(a.default_domain_name) ?? str(a.domain_name);
  const userDomainId = str(a.user_domain_id) ?? (str(a.user_domain_name) ? undefined : defaultDomainId);
  const userDomainName = str(a.user_domain_name) ?? (userDomainId ? undefined : defaultDomainName);
  if (authType === 'v3applicationcredential' || authType === 'applicationcredential') {
    return {
      type: 'application_credential',
      authUrl,
      applicationCredentialId: str(a.application_credential_id),
      applicationCredentialName: str(a.application_credential_name),
      applicationCredentialSecret: str(a.application_credential_secret) ?? '',
      userId: str(a.user_id),
      username: str(a.username),
      userDomainId,
      userDomainName,
    };
  }
  if (authType !== 'password' && authType !== 'v3password') {
    throw new ConfigError(
      `cloud "${name}": auth_type "${authType}" is not supported (use password or v3applicationcredential).`,
    );
  }
  const projectDomainId = str(a.project_domain_id) ?? (str(a.project_domain_name) ? undefined : defaultDomainId);
  const projectDomainName = str(a.project_domain_name) ?? (projectDomainId ? undefined : defaultDomainName);
  return {
    type: 'password',
    authUrl,
    username: str(a.username),
    userId: str(a.user_id),
    userDomainId,
    userDomainName,
    password: str(a.password) ?? '',
    projectId: str(a.project_id) ?? str(a.tenant_id),
    projectName: str(a.project_name) ?? str(a.tenant_name),
    projectDomainId,
    projectDomainName,
  };
}
