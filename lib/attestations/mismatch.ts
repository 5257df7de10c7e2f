import { answerLabel, type Statement, type StatementField } from './statement';

/**
 * Where the statement and what the automated checks saw disagree, for the reviewer. Pure
 * functions of the statement and the cloud's latest result per testcase (no I/O), so every rule
 * is unit-tested. A "mismatch" contradicts the statement; a "warning" is something the reviewer
 * should ask about; an "info" says what could not be compared.
 */
export type Severity = 'mismatch' | 'warning' | 'info';

export interface AutomatedResult {
  testcase: string;
  verdict: 'PASS' | 'FAIL' | 'ABORT';
  message: string;
  details: Record<string, unknown> | null;
  checkedAt: Date;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** Statement answers the finding concerns: highlighted on the review page. */
  fields: StatementField[];
  /** The automated testcase it was compared with. */
  testcase?: string;
  message: string;
}

/** Barbican plugin names (crypto or secret-store plugin) -> the statement's secret-store answer. */
export const PLUGIN_TO_STORE: Record<string, Statement['secretStore']> = {
  simple_crypto: 'simple_crypto',
  store_crypto: 'simple_crypto',
  p11_crypto: 'pkcs11',
  kmip_plugin: 'kmip',
  vault_plugin: 'vault',
  dogtag_crypto: 'other',
  dogtag_plugin: 'other',
};

const PROTECTED_LOCATIONS = new Set(['hsm', 'external_kms', 'enclave', 'separate_host']);
const PROTECTED_STORES = new Set(['pkcs11', 'kmip', 'vault']);

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The plugin Barbican reports for its global default store, or null when not disclosed/unknown. */
export function reportedBackend(r: AutomatedResult | undefined): { plugin: string; store: string | null } | null {
  if (!r || r.verdict === 'ABORT' || !r.details) return null;
  const plugin = typeof r.details.backend === 'string' ? r.details.backend : null;
  if (!plugin || plugin === 'unknown') return null;
  const g = r.details.globalDefault as { name?: unknown } | undefined;
  return { plugin, store: g && typeof g.name === 'string' ? g.name : null };
}

export function backendRules(s: Statement, backend: AutomatedResult | undefined): Finding[] {
  const out: Finding[] = [];
  if (!backend) {
    if (s.secretStore || s.kekLocation) {
      out.push({
        rule: 'backend-no-result',
        severity: 'info',
        fields: ['secretStore', 'kekLocation'],
        testcase: 'km-backend',
        message:
          'No automated km-backend result for this cloud yet: the secret store cannot be compared. Run the checks.',
      });
    }
    return out;
  }
  const seen = reportedBackend(backend);
  if (!seen) {
    out.push({
      rule: 'backend-undisclosed',
      severity: 'info',
      fields: ['secretStore'],
      testcase: 'km-backend',
      message:
        backend.verdict === 'ABORT'
          ? `km-backend could not run on ${day(backend.checkedAt)}: the secret store cannot be compared.`
          : `Barbican does not disclose its backend (multiple secret stores not enabled, seen ${day(backend.checkedAt)}): only the evidence can show the secret store.`,
    });
    return out;
  }
  const storeName = seen.store ? ` ("${seen.store}")` : '';
  const seenStore = PLUGIN_TO_STORE[seen.plugin];
  if (seen.plugin === 'simple_crypto' || seenStore === 'simple_crypto') {
    const claims: string[] = [];
    const fields: StatementField[] = [];
    if (s.secretStore && PROTECTED_STORES.has(s.secretStore)) {
      claims.push(`the secret store is ${answerLabel('secretStore', s.secretStore)}`);
      fields.push('secretStore');
    }
    if (s.kekLocation && PROTECTED_LOCATIONS.has(s.kekLocation)) {
      claims.push(
        `the Master-KEK is kept ${answerLabel('kekLocation', s.kekLocation).replace(/^In /, 'in ').replace(/^On /, 'on ')}`,
      );
      fields.push('kekLocation');
    }
    if (claims.length > 0) {
      out.push({
        rule: 'backend-simple-crypto',
        severity: 'mismatch',
        fields,
        testcase: 'km-backend',
        message: `The statement says ${claims.join(' and ')}, but Barbican reports simple_crypto as its global default store${storeName} (${day(backend.checkedAt)}): with simple_crypto the Master-KEK is kept in barbican.conf on the key-manager host.`,
      });
    }
    if (s.kekPlaintextOnHost === 'no' && !fields.includes('kekLocation')) {
      out.push({
        rule: 'backend-simple-crypto-plaintext',
        severity: 'warning',
        fields: ['kekPlaintextOnHost'],
        testcase: 'km-backend',
        message: `The statement says the Master-KEK is never in plain text on the key-manager host, while the global default store${storeName} uses simple_crypto, which reads it from barbican.conf: the description and evidence must show how it is protected there.`,
      });
    }
    return out;
  }
  if (s.secretStore && seenStore && s.secretStore !== seenStore) {
    out.push({
      rule: 'backend-store-differs',
      severity: 'mismatch',
      fields: ['secretStore'],
      testcase: 'km-backend',
      message: `The statement names ${answerLabel('secretStore', s.secretStore)}, but Barbican reports ${seen.plugin} for its global default store${storeName} (${day(backend.checkedAt)}).`,
    });
  }
  if (s.implementation === 'other') {
    out.push({
      rule: 'implementation-is-barbican',
      severity: 'warning',
      fields: ['implementation'],
      testcase: 'km-backend',
      message: `The statement names another product, but the key-manager endpoint answers Barbican's secret-stores API (${seen.plugin}).`,
    });
  }
  return out;
}

export function rbacRules(s: Statement, permissions: AutomatedResult | undefined): Finding[] {
  if (!s.rbac || s.rbac === 'neither') return [];
  const said = s.rbac === 'secure_rbac' ? 'secure RBAC is enforced' : 'creator is mapped to member';
  if (!permissions) {
    return [
      {
        rule: 'rbac-no-result',
        severity: 'info',
        fields: ['rbac'],
        testcase: 'scs-0116-permissions',
        message:
          'No automated scs-0116-permissions result for this cloud yet: the policy claim cannot be compared. Run the checks.',
      },
    ];
  }
  if (permissions.verdict === 'FAIL') {
    return [
      {
        rule: 'rbac-permissions-fail',
        severity: 'mismatch',
        fields: ['rbac'],
        testcase: 'scs-0116-permissions',
        message: `The statement says ${said}, but scs-0116-permissions FAILED on ${day(permissions.checkedAt)}: ${permissions.message}`,
      },
    ];
  }
  if (permissions.verdict === 'ABORT') {
    return [
      {
        rule: 'rbac-permissions-abort',
        severity: 'info',
        fields: ['rbac'],
        testcase: 'scs-0116-permissions',
        message: `scs-0116-permissions could not decide on ${day(permissions.checkedAt)} (ABORT): the policy claim is not confirmed.`,
      },
    ];
  }
  return [];
}

export function presenceRules(s: Statement, presence: AutomatedResult | undefined): Finding[] {
  if (!s.implementation || !presence || presence.verdict !== 'FAIL') return [];
  return [
    {
      rule: 'presence-fail',
      severity: 'mismatch',
      fields: ['implementation'],
      testcase: 'scs-0116-presence',
      message: `The statement describes a key manager, but scs-0116-presence FAILED on ${day(presence.checkedAt)}: ${presence.message}`,
    },
  ];
}

/** Rules about the statement alone (no automated result needed). */
export function statementRules(s: Statement): Finding[] {
  const out: Finding[] = [];
  if (s.kekPlaintextOnHost === 'yes') {
    out.push({
      rule: 'kek-plaintext',
      severity: 'warning',
      fields: ['kekPlaintextOnHost'],
      message:
        'The statement says the Master-KEK is in plain text on the key-manager host, which scs-0116 v1 advises against (SHOULD NOT).',
    });
  }
  if (s.kekLocation === 'config_file' && s.kekPlaintextOnHost === 'no') {
    out.push({
      rule: 'kek-config-file-not-plaintext',
      severity: 'warning',
      fields: ['kekLocation', 'kekPlaintextOnHost'],
      message:
        'A Master-KEK in a configuration file on the key-manager host is in plain text there unless the file itself is protected: the description should say how.',
    });
  }
  if (s.secretStore === 'simple_crypto' && s.kekLocation && s.kekLocation !== 'config_file') {
    out.push({
      rule: 'simple-crypto-location',
      severity: 'warning',
      fields: ['secretStore', 'kekLocation'],
      message: `simple_crypto reads the Master-KEK from barbican.conf, yet the statement says it is kept ${answerLabel('kekLocation', s.kekLocation).toLowerCase()}.`,
    });
  }
  if (s.secretStore && PROTECTED_STORES.has(s.secretStore) && s.kekLocation === 'config_file') {
    out.push({
      rule: 'protected-store-config-file',
      severity: 'warning',
      fields: ['secretStore', 'kekLocation'],
      message: `With ${answerLabel('secretStore', s.secretStore)} the Master-KEK is normally kept outside the key-manager host, yet the statement says it is in a configuration file there.`,
    });
  }
  return out;
}

/** Every finding, mismatches first. `results` maps testcase id -> the latest result. */
export function findMismatches(s: Statement, results: Record<string, AutomatedResult | undefined>): Finding[] {
  const order: Record<Severity, number> = { mismatch: 0, warning: 1, info: 2 };
  return [
    ...presenceRules(s, results['scs-0116-presence']),
    ...backendRules(s, results['km-backend']),
    ...rbacRules(s, results['scs-0116-permissions']),
    ...statementRules(s),
  ].sort((a, b) => order[a.severity] - order[b.severity]);
}

/** The worst severity per field, for highlighting rows. */
export function fieldSeverities(findings: Finding[]): Partial<Record<StatementField, Severity>> {
  const order: Record<Severity, number> = { mismatch: 0, warning: 1, info: 2 };
  const out: Partial<Record<StatementField, Severity>> = {};
  for (const f of findings) {
    for (const field of f.fields) {
      const cur = out[field];
      if (!cur || order[f.severity] < order[cur]) out[field] = f.severity;
    }
  }
  return out;
}
