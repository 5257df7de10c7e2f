import { z } from 'zod';

/**
 * The CSP's statement for the manual testcase key-manager-docs-check: one question per clause of
 * scs-0116 v1 ("Key Manager Standard"), whose text is shown beside the question. A draft may be
 * incomplete (`draftStatementSchema`); a submission must be complete and must affirm the MUST
 * clauses (`completeStatementSchema`).
 */

export const STANDARD = 'scs-0116-v1';

export const IMPLEMENTATIONS = { barbican: 'OpenStack Barbican', other: 'Another key-manager product' } as const;
export const SECRET_STORES = {
  simple_crypto: 'simple_crypto (software, Master-KEK in the configuration)',
  pkcs11: 'PKCS#11 HSM (p11_crypto)',
  kmip: 'KMIP server (kmip_plugin)',
  vault: 'HashiCorp Vault (vault_plugin)',
  other: 'Other',
} as const;
export const KEK_LOCATIONS = {
  hsm: 'In a hardware security module (HSM)',
  external_kms: 'In an external key-management service (KMS)',
  separate_host: 'On a separate host, not the key-manager host',
  enclave: 'In a secure enclave (e.g. TPM, SGX, SEV)',
  config_file: 'In a configuration file on the key-manager host',
} as const;
export const YES_NO = { yes: 'Yes', no: 'No' } as const;
export const RBAC_MODES = {
  secure_rbac: 'Secure RBAC is enforced',
  creator_mapped: 'Secure RBAC is not enforced; the policy maps "creator" to the "member" role',
  neither: 'Neither',
} as const;

/** The clause each question answers, quoted from scs-0116 v1 (and SCS-0004 for the paperwork). */
export const CLAUSES = {
  implementation:
    'To increase security and allow user data encryption, CSPs SHOULD implement the Key Manager API (e.g. implemented by Barbican).',
  secretStore:
    'The Master-KEK, used to encrypt the project specific KEKs is not stored in the database and is stored differently depending on the backend storage plugin used. This standard also abstracts the used plugins and wants to ensure that the Master-KEK is protected, too.',
  kekLocation:
    'The Keys managed by this Key Manager MUST be stored encrypted and the Master-KEK of the Key Manager MUST be stored in another place than the Keys.',
  kekPlaintextOnHost:
    'If possible CSPs SHOULD NOT store the Master-KEK in plain-text on the physical host the Key Manager is running on.',
  keysEncrypted: 'The Keys managed by this Key Manager MUST be stored encrypted …',
  kekStoredApart: '… and the Master-KEK of the Key Manager MUST be stored in another place than the Keys.',
  rbac: 'If a Key Manager without secure RBAC enabled is used, the policies MUST be adjusted to let the member role of the Identity service be equivalent to the Key Manager internal creator role.',
  protectionDescription:
    'Conformance must be tested in two steps. […] 2. The check, that there is no Master-KEK present on the Key Manager Node, has to be done by the CSP themself.',
  validFrom:
    'SCS-0004 regulation 3: If the desired certificate requires manual checks, then the operator MUST offer suitable documentation to the SCS certification assessment body. The operator MUST ensure that these checks are repeated once every quarter.',
  contact:
    'SCS-0004 regulation 3: the SCS certification assessment body reserves the right to occasionally verify documentation on premises.',
} as const;

export const FIELDS = [
  'implementation',
  'implementationVersion',
  'otherProduct',
  'secretStore',
  'secretStoreOther',
  'kekLocation',
  'kekPlaintextOnHost',
  'keysEncrypted',
  'kekStoredApart',
  'rbac',
  'protectionDescription',
  'validFrom',
  'contactName',
  'contactEmail',
] as const;
export type StatementField = (typeof FIELDS)[number];

/** Text without control characters (newlines and tabs allowed where `multiline`). */
function text(max: number, multiline = false) {
  const bad = multiline ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/ : /[\u0000-\u001f\u007f]/;
  return z
    .string()
    .trim()
    .max(max, `At most ${max} characters.`)
    .refine((s) => !bad.test(s), 'Control characters are not allowed.');
}

/** Empty strings (an untouched form field) count as "not answered". */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const choice = <T extends Record<string, string>>(options: T, message: string) =>
  z.preprocess(
    blank,
    z.enum(Object.keys(options) as [keyof T & string, ...(keyof T & string)[]], { message }).optional(),
  );
const optionalText = (max: number, multiline = false) => z.preprocess(blank, text(max, multiline).optional());

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export function isValidDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** What a draft may hold: every answer optional, each one well-formed when given. */
export const draftStatementSchema = z.object({
  implementation: choice(IMPLEMENTATIONS, 'Choose Barbican or another product.'),
  implementationVersion: optionalText(100),
  otherProduct: optionalText(200),
  secretStore: choice(SECRET_STORES, 'Choose a secret store.'),
  secretStoreOther: optionalText(200),
  kekLocation: choice(KEK_LOCATIONS, 'Choose where the Master-KEK is kept.'),
  kekPlaintextOnHost: choice(YES_NO, 'Answer yes or no.'),
  keysEncrypted: choice(YES_NO, 'Answer yes or no.'),
  kekStoredApart: choice(YES_NO, 'Answer yes or no.'),
  rbac: choice(RBAC_MODES, 'Choose how member may use the key manager.'),
  protectionDescription: optionalText(20_000, true),
  validFrom: z.preprocess(blank, z.string().trim().refine(isValidDate, 'Enter a date as YYYY-MM-DD.').optional()),
  contactName: optionalText(200),
  contactEmail: z.preprocess(
    blank,
    z.string().trim().toLowerCase().max(254).email('Enter a valid email address.').optional(),
  ),
});
export type DraftStatement = z.infer<typeof draftStatementSchema>;

const REQUIRED: Record<Exclude<StatementField, 'otherProduct' | 'secretStoreOther'>, string> = {
  implementation: 'Say which key manager the cloud uses.',
  implementationVersion: 'Give the version or release.',
  secretStore: 'Choose the secret store and crypto backend.',
  kekLocation: 'Say where the Master-KEK is kept.',
  kekPlaintextOnHost: 'Answer whether the Master-KEK is ever in plain text on the key-manager host.',
  keysEncrypted: 'Answer whether keys are stored encrypted.',
  kekStoredApart: 'Answer whether the Master-KEK is stored apart from the keys.',
  rbac: 'Say how the member role may use the key manager.',
  protectionDescription: 'Describe how the Master-KEK is protected.',
  validFrom: 'Give the date from which the statement holds.',
  contactName: 'Name a contact.',
  contactEmail: "Give the contact's email address.",
};

/** The questions every submission must answer (the two "other" fields only when their choice is "other"). */
export const REQUIRED_FIELDS = Object.keys(REQUIRED) as StatementField[];

/** A submittable statement: complete, consistent, and affirming every MUST of scs-0116 v1. */
export const completeStatementSchema = draftStatementSchema.superRefine((s, ctx) => {
  for (const [k, message] of Object.entries(REQUIRED)) {
    if (s[k as keyof DraftStatement] === undefined) ctx.addIssue({ code: 'custom', path: [k], message });
  }
  if (s.implementation === 'other' && !s.otherProduct)
    ctx.addIssue({ code: 'custom', path: ['otherProduct'], message: 'Name the key-manager product.' });
  if (s.secretStore === 'other' && !s.secretStoreOther)
    ctx.addIssue({ code: 'custom', path: ['secretStoreOther'], message: 'Name the secret store.' });
  if (s.protectionDescription !== undefined && s.protectionDescription.length < 40) {
    ctx.addIssue({
      code: 'custom',
      path: ['protectionDescription'],
      message: 'Describe the protection in at least 40 characters.',
    });
  }
  if (s.keysEncrypted === 'no')
    ctx.addIssue({
      code: 'custom',
      path: ['keysEncrypted'],
      message:
        'scs-0116 v1 requires (MUST) that keys are stored encrypted; a statement that denies it cannot be submitted.',
    });
  if (s.kekStoredApart === 'no')
    ctx.addIssue({
      code: 'custom',
      path: ['kekStoredApart'],
      message:
        'scs-0116 v1 requires (MUST) that the Master-KEK is stored apart from the keys; a statement that denies it cannot be submitted.',
    });
  if (s.rbac === 'neither')
    ctx.addIssue({
      code: 'custom',
      path: ['rbac'],
      message: 'scs-0116 v1 requires (MUST) secure RBAC or a policy that maps creator to member.',
    });
});
export type Statement = DraftStatement;

/** Only the known keys, in the order of FIELDS, without unanswered ones: what is stored and hashed. */
export function normalizeStatement(s: DraftStatement): Statement {
  const out: Record<string, string> = {};
  for (const k of FIELDS) {
    const v = s[k];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out as Statement;
}

/** The statement a stored JSON value holds (tolerating older or partial rows). */
export function statementOf(json: unknown): Statement {
  const r = draftStatementSchema.safeParse(json ?? {});
  return r.success ? normalizeStatement(r.data) : {};
}

/** A human answer for display: the option label, or the text itself. */
export function answerLabel(field: StatementField, value: string | undefined): string {
  if (value === undefined) return '—';
  const options: Partial<Record<StatementField, Record<string, string>>> = {
    implementation: IMPLEMENTATIONS,
    secretStore: SECRET_STORES,
    kekLocation: KEK_LOCATIONS,
    kekPlaintextOnHost: YES_NO,
    keysEncrypted: YES_NO,
    kekStoredApart: YES_NO,
    rbac: RBAC_MODES,
  };
  return options[field]?.[value] ?? value;
}

export const QUESTIONS: Record<StatementField, string> = {
  implementation: 'Which key manager does the cloud offer?',
  implementationVersion: 'Version or release (e.g. Barbican 2024.1 / 18.0.0)',
  otherProduct: 'Product name (when not Barbican)',
  secretStore: 'Secret store and crypto backend (the global default)',
  secretStoreOther: 'Secret store (when "Other")',
  kekLocation: 'Where is the Master-KEK kept?',
  kekPlaintextOnHost: 'Is the Master-KEK ever in plain text on the key-manager host?',
  keysEncrypted: 'Are the keys stored encrypted?',
  kekStoredApart: 'Is the Master-KEK stored in another place than the keys?',
  rbac: "May the Identity service's member role use the key manager?",
  protectionDescription: 'How is the Master-KEK protected? (free text)',
  validFrom: 'The statement holds from (date)',
  contactName: 'Contact name',
  contactEmail: 'Contact email',
};
