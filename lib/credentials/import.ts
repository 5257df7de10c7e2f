import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { normaliseInterface, type AuthConfig } from '../openstack';
import { ValidationError } from '../errors';
import type { CredentialConfig } from './config';

/**
 * Turning what operators hold into a CredentialConfig: a clouds.yaml entry (merged with
 * secure.yaml as openstacksdk does), an openrc file, or explicit fields. All three become one
 * "entry" in clouds.yaml shape and go through one normaliser, whose errors are specific (no
 * project scope, an unsupported auth type, a Keystone v2 URL, a missing secret) and are keyed to
 * the form field they concern. No message ever quotes an input value that may be secret.
 */

type Dict = Record<string, unknown>;
/** Logical fields the normaliser complains about; each source maps them to its own form fields. */
type Topic =
  | 'auth_url'
  | 'auth_type'
  | 'username'
  | 'password'
  | 'project'
  | 'application_credential_id'
  | 'application_credential_secret'
  | 'interface'
  | 'region'
  | 'verify';

class EntryProblems {
  readonly list: Array<{ topic: Topic; message: string }> = [];
  add(topic: Topic, message: string) {
    this.list.push({ topic, message });
  }
}

/**
 * How each source names the settings in its messages: clouds.yaml keys (`auth_url`), openrc
 * variables (`OS_AUTH_URL`) or the form's labels ("Keystone auth URL"), so that a message names
 * what the person sees.
 */
type Term =
  | 'auth_url'
  | 'identity_api_version'
  | 'auth_type'
  | 'interface'
  | 'region_name'
  | 'username'
  | 'user_domain_name'
  | 'password'
  | 'project_id'
  | 'project_name'
  | 'project_domain_name'
  | 'application_credential_id'
  | 'application_credential_secret';
type Terms = Record<Term, string>;

const YAML_TERMS: Terms = {
  auth_url: 'auth_url',
  identity_api_version: 'identity_api_version',
  auth_type: 'auth_type',
  interface: 'interface',
  region_name: 'region_name',
  username: 'username (or user_id)',
  user_domain_name: 'user_domain_name (or user_domain_id)',
  password: 'password',
  project_id: 'project_id',
  project_name: 'project_name',
  project_domain_name: 'project_domain_name (or project_domain_id)',
  application_credential_id: 'application_credential_id (or its name)',
  application_credential_secret: 'application_credential_secret',
};
const OPENRC_TERMS: Terms = {
  auth_url: 'OS_AUTH_URL',
  identity_api_version: 'OS_IDENTITY_API_VERSION',
  auth_type: 'OS_AUTH_TYPE',
  interface: 'OS_INTERFACE',
  region_name: 'OS_REGION_NAME',
  username: 'OS_USERNAME (or OS_USER_ID)',
  user_domain_name: 'OS_USER_DOMAIN_NAME (or OS_USER_DOMAIN_ID)',
  password: 'password',
  project_id: 'OS_PROJECT_ID',
  project_name: 'OS_PROJECT_NAME',
  project_domain_name: 'OS_PROJECT_DOMAIN_NAME (or OS_PROJECT_DOMAIN_ID)',
  application_credential_id: 'OS_APPLICATION_CREDENTIAL_ID',
  application_credential_secret: 'application credential secret',
};
const FIELD_TERMS: Terms = {
  auth_url: 'The Keystone auth URL',
  identity_api_version: 'The identity API version',
  auth_type: 'The type',
  interface: 'The interface',
  region_name: 'The region',
  username: 'The user name',
  user_domain_name: 'The user domain',
  password: 'password',
  project_id: 'Project id',
  project_name: 'project name',
  project_domain_name: 'The project domain',
  application_credential_id: 'The application credential id',
  application_credential_secret: 'application credential secret',
};

const str = (v: unknown): string | undefined => {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
};
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

const PASSWORD_TYPES = new Set(['password', 'v3password']);
const APPCRED_TYPES = new Set(['v3applicationcredential', 'applicationcredential', 'application_credential']);

export interface NormaliseDefaults {
  region: string;
  allowPrivateAddresses?: boolean;
  caBundle?: string;
}

/** One clouds.yaml-shaped entry to a CredentialConfig, or problems. */
function normalise(
  entry: Dict,
  defaults: NormaliseDefaults,
  problems: EntryProblems,
  t: Terms = YAML_TERMS,
): CredentialConfig | null {
  const auth = isDict(entry.auth) ? entry.auth : {};
  const a = (k: string) => str(auth[k]);
  const authType = (str(entry.auth_type) ?? 'password').toLowerCase();
  const identityVersion = str(entry.identity_api_version);
  const authUrl = a('auth_url');

  if (identityVersion && /^2(\.0)?$/.test(identityVersion)) {
    problems.add(
      'auth_url',
      `${t.identity_api_version} 2 is Keystone v2, which no longer exists; use version 3 and the v3 auth URL.`,
    );
  }
  if (!authUrl) problems.add('auth_url', `${t.auth_url} is missing.`);
  else {
    let u: URL | null = null;
    try {
      u = new URL(authUrl);
    } catch {
      /* below */
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
      problems.add('auth_url', `${t.auth_url} must be an http(s) URL, like https://keystone.example.com:5000/v3.`);
    else if (/\/v2(\.0)?\/?$/.test(u.pathname))
      problems.add(
        'auth_url',
        `${t.auth_url} ${u.origin}${u.pathname} is a Keystone v2 URL; use the v3 URL (ending in /v3) or the versionless root.`,
      );
    else if (u.username || u.password) problems.add('auth_url', `${t.auth_url} must not carry a user or password.`);
  }
  if (entry.verify === false || entry.insecure === true) {
    problems.add(
      'verify',
      "TLS verification cannot be switched off here; give the CA bundle that signed the cloud's certificate instead.",
    );
  }
  if (str(entry.profile))
    problems.add(
      'auth_url',
      'Vendor profiles ("profile:") are not supported; write auth_url and region_name into the entry.',
    );

  let iface: CredentialConfig['interface'] = 'public';
  try {
    iface = normaliseInterface(str(entry.interface) ?? str(entry.endpoint_type));
  } catch {
    problems.add('interface', `${t.interface} must be public, internal or admin.`);
  }
  const region =
    str(entry.region_name) ??
    (Array.isArray(entry.regions) && entry.regions.length === 1 ? str(entry.regions[0]) : undefined) ??
    defaults.region;
  if (!/^[\w.-]{1,100}$/.test(region))
    problems.add('region', `${t.region_name} may contain only letters, digits, dot, dash and underscore.`);

  const defaultDomainId = a('default_domain_id') ?? a('domain_id');
  const defaultDomainName = a('default_domain_name') ?? a('domain_name') ?? a('default_domain');
  const userDomainId = a('user_domain_id') ?? defaultDomainId;
  const userDomainName = userDomainId ? a('user_domain_name') : (a('user_domain_name') ?? defaultDomainName);

  let authConfig: AuthConfig | null = null;
  if (PASSWORD_TYPES.has(authType)) {
    const username = a('username') ?? a('user_name');
    const userId = a('user_id');
    const password = typeof auth.password === 'string' && auth.password !== '' ? auth.password : undefined;
    const projectId = a('project_id') ?? a('tenant_id');
    const projectName = a('project_name') ?? a('tenant_name');
    const projectDomainId = a('project_domain_id') ?? defaultDomainId;
    const projectDomainName = projectDomainId
      ? a('project_domain_name')
      : (a('project_domain_name') ?? defaultDomainName);
    if (!username && !userId) problems.add('username', `${t.username} is missing.`);
    else if (!userId && !userDomainId && !userDomainName)
      problems.add('username', `${t.user_domain_name} is missing for a user given by name.`);
    if (!projectId && !projectName) {
      problems.add(
        'project',
        `No project scope: the checks need a project-scoped token. Add ${t.project_id}, or ${t.project_name} with ${t.project_domain_name}.`,
      );
    } else if (!projectId && !projectDomainId && !projectDomainName) {
      problems.add('project', `${t.project_domain_name} is missing for a project given by name.`);
    }
    if (!password)
      problems.add('password', 'The password is missing: add it, or provide the secure.yaml that holds it.');
    if (authUrl && password && (username || userId) && (projectId || projectName)) {
      authConfig = {
        type: 'password',
        authUrl,
        username,
        userId,
        userDomainName,
        userDomainId,
        password,
        projectId,
        projectName,
        projectDomainName,
        projectDomainId,
      };
    }
  } else if (APPCRED_TYPES.has(authType)) {
    const id = a('application_credential_id');
    const name = a('application_credential_name');
    const secret =
      typeof auth.application_credential_secret === 'string' && auth.application_credential_secret !== ''
        ? auth.application_credential_secret
        : undefined;
    const userId = a('user_id');
    const username = a('username');
    if (!id && !name) problems.add('application_credential_id', `${t.application_credential_id} is missing.`);
    else if (!id && !userId && !(username && (userDomainId || userDomainName))) {
      problems.add(
        'application_credential_id',
        'An application credential given by name needs its user: user_id, or username with user_domain_name.',
      );
    }
    if (!secret)
      problems.add(
        'application_credential_secret',
        'The application credential secret is missing: add it, or provide the secure.yaml that holds it.',
      );
    if (authUrl && secret && (id || name)) {
      authConfig = {
        type: 'application_credential',
        authUrl,
        applicationCredentialId: id,
        applicationCredentialName: name,
        applicationCredentialSecret: secret,
        userId,
        username,
        userDomainName,
        userDomainId,
      };
    }
  } else {
    problems.add(
      'auth_type',
      `${t.auth_type} "${authType.slice(0, 40)}" is not supported: use password (v3password) or v3applicationcredential. Tokens, OpenID Connect and TOTP cannot be stored for unattended checks.`,
    );
  }
  if (problems.list.length || !authConfig) return null;
  const caBundle = defaults.caBundle?.trim() ? defaults.caBundle.trim() : undefined;
  return {
    auth: authConfig,
    region,
    interface: iface,
    caBundle,
    allowPrivateAddresses: defaults.allowPrivateAddresses === true,
  };
}

function deepMerge(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isDict(v) && isDict(out[k]) ? deepMerge(out[k] as Dict, v) : v;
  return out;
}

/** What a YAML error code means, in words (the parser's own message may quote the line, which may hold a secret). */
const YAML_PROBLEM: Record<string, string> = {
  BAD_INDENT: 'the indentation does not line up',
  TAB_AS_INDENT: 'a tab is used for indentation (use spaces)',
  DUPLICATE_KEY: 'a key appears twice',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  BAD_SCALAR_START: 'a value starts with a character that needs quotes',
  BLOCK_AS_IMPLICIT_KEY: 'a key is not followed by a colon',
  MULTILINE_IMPLICIT_KEY: 'a key runs over several lines (a missing colon?)',
  UNEXPECTED_TOKEN: 'there is an unexpected character',
  ALIAS_PROPS: 'an alias has an anchor or tag',
  BAD_ALIAS: 'an alias refers to no anchor',
};

interface YamlSource {
  clouds: Dict;
  /** "line 7, column 5" of a key under the clouds: section, or null. */
  where(path: string[]): string | null;
}

function parseYamlDoc(text: string, field: string, label: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter: lines, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    // Never echo the parser's message: it may quote the offending line, which may hold a password.
    const pos = lines.linePos(err.pos[0]);
    const what = YAML_PROBLEM[err.code] ?? 'the syntax is broken';
    throw new ValidationError({
      [field]: `${label} is not valid YAML: ${what} at line ${pos.line}, column ${pos.col}.`,
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch {
    throw new ValidationError({ [field]: `${label} is not valid YAML (too many aliases or a broken alias).` });
  }
  if (!isDict(value) || !isDict(value.clouds))
    throw new ValidationError({ [field]: `${label} has no "clouds:" section.` });
  return { clouds: value.clouds, where: (path) => keyPosition(doc, lines, ['clouds', ...path]) };
}

/** The position of the key at the end of `path` ("line 7, column 5"), when the document has it. */
function keyPosition(doc: Document, lines: LineCounter, path: string[]): string | null {
  let node: unknown = doc.contents;
  let at: number | null = null;
  for (const key of path) {
    if (!isMap(node)) return null;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair || !isScalar(pair.key) || !pair.key.range) return null;
    at = pair.key.range[0];
    node = pair.value;
  }
  if (at === null) return null;
  const p = lines.linePos(at);
  return `line ${p.line}, column ${p.col}`;
}

/** The entry names of a clouds.yaml (for the picker); [] when it does not parse. */
export function cloudsYamlEntries(text: string): string[] {
  try {
    return Object.keys(parseYamlDoc(text, 'clouds_yaml', 'clouds.yaml').clouds);
  } catch {
    return [];
  }
}

const YAML_FIELD: Record<Topic, string> = {
  auth_url: 'clouds_yaml',
  auth_type: 'clouds_yaml',
  username: 'clouds_yaml',
  password: 'clouds_yaml',
  project: 'clouds_yaml',
  application_credential_id: 'clouds_yaml',
  application_credential_secret: 'clouds_yaml',
  interface: 'clouds_yaml',
  region: 'clouds_yaml',
  verify: 'clouds_yaml',
};

function fail(problems: EntryProblems, fieldOf: (t: Topic) => string, prefix = ''): never {
  const fields: Record<string, string> = {};
  for (const p of problems.list) {
    const f = fieldOf(p.topic);
    fields[f] = fields[f] ? `${fields[f]} ${p.message}` : `${prefix}${p.message}`;
  }
  throw new ValidationError(fields);
}

export interface CloudsYamlInput {
  clouds_yaml: string;
  secure_yaml?: string;
  cloud?: string;
}

/** Where in an entry each problem is, by the first of these keys the entry has. */
const TOPIC_KEYS: Record<Topic, string[][]> = {
  auth_url: [['auth', 'auth_url'], ['identity_api_version'], ['profile']],
  auth_type: [['auth_type']],
  username: [['auth', 'username'], ['auth', 'user_id'], ['auth']],
  password: [['auth', 'password'], ['auth']],
  project: [['auth', 'project_name'], ['auth', 'project_id'], ['auth']],
  application_credential_id: [['auth', 'application_credential_id'], ['auth', 'application_credential_name'], ['auth']],
  application_credential_secret: [['auth', 'application_credential_secret'], ['auth']],
  interface: [['interface'], ['endpoint_type']],
  region: [['region_name'], ['regions']],
  verify: [['verify'], ['insecure']],
};

export function fromCloudsYaml(input: CloudsYamlInput, defaults: NormaliseDefaults): CredentialConfig {
  if (!input.clouds_yaml?.trim()) throw new ValidationError({ clouds_yaml: 'Paste or upload a clouds.yaml.' });
  const source = parseYamlDoc(input.clouds_yaml, 'clouds_yaml', 'clouds.yaml');
  const clouds = source.clouds;
  const names = Object.keys(clouds);
  if (names.length === 0) throw new ValidationError({ clouds_yaml: 'clouds.yaml lists no clouds.' });
  const chosen = input.cloud?.trim() || (names.length === 1 ? names[0]! : '');
  if (!chosen) throw new ValidationError({ cloud: `Choose an entry: ${names.join(', ')}.` });
  if (!Object.hasOwn(clouds, chosen) || !isDict(clouds[chosen])) {
    throw new ValidationError({
      cloud: `clouds.yaml has no entry "${chosen.slice(0, 64)}"; it has ${names.join(', ')}.`,
    });
  }
  let entry = clouds[chosen] as Dict;
  if (input.secure_yaml?.trim()) {
    const secure = parseYamlDoc(input.secure_yaml, 'secure_yaml', 'secure.yaml').clouds;
    if (isDict(secure[chosen])) entry = deepMerge(entry, secure[chosen] as Dict);
  }
  const problems = new EntryProblems();
  const config = normalise(entry, defaults, problems);
  if (!config) {
    const entryAt = source.where([chosen]);
    for (const p of problems.list) {
      const at = TOPIC_KEYS[p.topic].map((k) => source.where([chosen, ...k])).find(Boolean) ?? entryAt;
      if (at) p.message = `${p.message.replace(/\.$/, '')} (${at}).`;
    }
    fail(problems, (t) => YAML_FIELD[t], `Entry "${chosen}": `);
  }
  return config;
}

/** `export OS_X=value` lines of an openrc file (Horizon's, or hand-written). */
export function parseOpenrc(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const m = /^(?:export\s+)?(OS_[A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!.trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
      value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    // "$OS_PASSWORD_INPUT" and friends: the value is read interactively, so we do not have it.
    if (value.includes('$')) continue;
    vars[m[1]!] = value;
  }
  return vars;
}

const OPENRC_FIELD: Record<Topic, string> = {
  auth_url: 'openrc',
  auth_type: 'openrc',
  username: 'openrc',
  password: 'password',
  project: 'openrc',
  application_credential_id: 'openrc',
  application_credential_secret: 'application_credential_secret',
  interface: 'openrc',
  region: 'openrc',
  verify: 'openrc',
};

/**
 * An openrc file; a password or application credential secret typed beside it fills the prompt Horizon's file asks
 * for.
 */
export function fromOpenrc(
  input: { openrc: string; password?: string; application_credential_secret?: string },
  defaults: NormaliseDefaults,
): CredentialConfig {
  if (!input.openrc?.trim()) throw new ValidationError({ openrc: 'Paste or upload an openrc file.' });
  const v = parseOpenrc(input.openrc);
  if (Object.keys(v).length === 0) throw new ValidationError({ openrc: 'No "export OS_...=" lines found.' });
  const entry: Dict = {
    auth_type: v.OS_AUTH_TYPE,
    identity_api_version: v.OS_IDENTITY_API_VERSION,
    region_name: v.OS_REGION_NAME,
    interface: v.OS_INTERFACE ?? v.OS_ENDPOINT_TYPE,
    auth: {
      auth_url: v.OS_AUTH_URL,
      username: v.OS_USERNAME,
      user_id: v.OS_USER_ID,
      password: input.password || v.OS_PASSWORD,
      user_domain_name: v.OS_USER_DOMAIN_NAME,
      user_domain_id: v.OS_USER_DOMAIN_ID,
      project_id: v.OS_PROJECT_ID ?? v.OS_TENANT_ID,
      project_name: v.OS_PROJECT_NAME ?? v.OS_TENANT_NAME,
      project_domain_name: v.OS_PROJECT_DOMAIN_NAME,
      project_domain_id: v.OS_PROJECT_DOMAIN_ID,
      domain_name: v.OS_DOMAIN_NAME,
      domain_id: v.OS_DOMAIN_ID,
      application_credential_id: v.OS_APPLICATION_CREDENTIAL_ID,
      application_credential_name: v.OS_APPLICATION_CREDENTIAL_NAME,
      application_credential_secret: input.application_credential_secret || v.OS_APPLICATION_CREDENTIAL_SECRET,
    },
  };
  const problems = new EntryProblems();
  const config = normalise(entry, defaults, problems, OPENRC_TERMS);
  if (!config) fail(problems, (t) => OPENRC_FIELD[t]);
  return config;
}

/** Explicit fields (the form's third tab, or the API's flat body). */
export interface ExplicitInput {
  type?: string;
  auth_url?: string;
  region?: string;
  interface?: string;
  username?: string;
  user_id?: string;
  user_domain_name?: string;
  user_domain_id?: string;
  password?: string;
  project_id?: string;
  project_name?: string;
  project_domain_name?: string;
  project_domain_id?: string;
  application_credential_id?: string;
  application_credential_name?: string;
  application_credential_secret?: string;
}

const EXPLICIT_FIELD: Record<Topic, string> = {
  auth_url: 'auth_url',
  auth_type: 'type',
  username: 'username',
  password: 'password',
  project: 'project_id',
  application_credential_id: 'application_credential_id',
  application_credential_secret: 'application_credential_secret',
  interface: 'interface',
  region: 'region',
  verify: 'auth_url',
};

export function fromExplicit(input: ExplicitInput, defaults: NormaliseDefaults): CredentialConfig {
  const t = (input.type ?? 'password').trim();
  const entry: Dict = {
    auth_type: t === 'application_credential' ? 'v3applicationcredential' : t,
    region_name: input.region,
    interface: input.interface,
    auth: {
      auth_url: input.auth_url,
      username: input.username,
      user_id: input.user_id,
      user_domain_name: input.user_domain_name,
      user_domain_id: input.user_domain_id,
      password: input.password,
      project_id: input.project_id,
      project_name: input.project_name,
      project_domain_name: input.project_domain_name,
      project_domain_id: input.project_domain_id,
      application_credential_id: input.application_credential_id,
      application_credential_name: input.application_credential_name,
      application_credential_secret: input.application_credential_secret,
    },
  };
  const problems = new EntryProblems();
  const config = normalise(entry, defaults, problems, FIELD_TERMS);
  if (!config) fail(problems, (topic) => EXPLICIT_FIELD[topic]);
  return config;
}
