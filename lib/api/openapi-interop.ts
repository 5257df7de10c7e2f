// OpenAPI paths and schemas of the interop area (issue 13): report-signing keys, a cloud's runs, the
// instance's signing key, monitor forwarding. Merged into the document by lib/api/openapi.ts.

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const R = {
  400: error('The body is not JSON (code invalid_json).'),
  401: error('No credentials, or a token that is unknown, revoked or expired, or whose user is deactivated.'),
  403: error('The caller may see the resource but not do this.'),
  404: error('Not found, or not visible to the caller (existence is not revealed).'),
  422: error('Invalid input; `fields` says which field and why.'),
};
const path = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const organizationSlug = path('slug', "The organization's slug.");
const pageParameters = [
  { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
  { name: 'pageSize', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } },
];

export const interopSchemas: Record<string, Json> = {
  RunListItem: {
    type: 'object',
    required: ['id', 'status', 'source', 'queuedAt'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      status: { type: 'string', enum: ['queued', 'running', 'finished', 'cancelled', 'interrupted'] },
      source: {
        type: 'string',
        enum: ['dashboard', 'official-runner'],
        description: '`official-runner`: a signed report of the official SCS runner uploaded to POST /reports.',
      },
      trigger: { type: 'string', enum: ['manual', 'api', 'schedule', 'refresh', 'upload'] },
      queuedAt: { type: 'string', format: 'date-time', description: "Imported runs: the report's checked_at." },
      startedAt: { type: ['string', 'null'], format: 'date-time' },
      finishedAt: { type: ['string', 'null'], format: 'date-time' },
      counts: {
        type: 'object',
        properties: { PASS: { type: 'integer' }, FAIL: { type: 'integer' }, ABORT: { type: 'integer' } },
      },
    },
  },
  OrganizationKey: {
    type: 'object',
    required: ['name', 'type', 'bits', 'fingerprint', 'publicKey', 'createdAt'],
    properties: {
      name: { type: 'string' },
      type: {
        type: 'string',
        enum: ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'],
      },
      bits: { type: 'integer' },
      fingerprint: { type: 'string', description: 'SHA256:… as `ssh-keygen -l` prints it.' },
      publicKey: { type: 'string', description: 'The OpenSSH public key line.' },
      comment: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      createdBy: { type: 'string' },
      lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'Last accepted report it signed.' },
      approvedAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description:
          "When the certification body approved the key; null: not approved. Reports signed with an unapproved key are taken and shown but do not count toward verdicts or certificates (a CSP's own key would let it vouch for itself).",
      },
      approvedBy: { type: ['string', 'null'], description: 'Who approved it (null while not approved).' },
    },
  },
  OrganizationKeyCreate: {
    type: 'object',
    required: ['name', 'publicKey'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 63 },
      publicKey: {
        type: 'string',
        description:
          'One OpenSSH public key line (id_ed25519.pub): ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of at least 3072 bits.',
      },
    },
  },
};

/** GET /clouds/{slug}/runs, merged beside POST (start a run) by openapi.ts. */
export const listRunsOperation: Json = {
  operationId: 'listRuns',
  summary: "The cloud's runs, newest first, paged: our own and imported reports of the official SCS runner",
  parameters: [path('slug', "The cloud's slug."), ...pageParameters],
  responses: {
    200: {
      description: 'One page.',
      content: json({
        type: 'object',
        required: ['items', 'total', 'page', 'pageSize'],
        properties: {
          items: { type: 'array', items: ref('RunListItem') },
          total: { type: 'integer' },
          page: { type: 'integer' },
          pageSize: { type: 'integer' },
        },
      }),
    },
    401: R[401],
    404: R[404],
  },
};

export const REPORT_FORMAT_DESCRIPTION =
  "`json` (ours, with redacted evidence), `yaml` (the report in the format of scs-compliance-check.py), or `signed-yaml`: `<armoured SSHSIG signature>&<YAML>` with Content-Type `application/x-signed-yaml`, exactly what the official runner POSTs to a compliance monitor (our runs: signed with the key of GET /signing-key; imported runs: the runner's own report and signature as uploaded).";

export const interopPaths: Record<string, Record<string, Json>> = {
  '/api/v1/clouds/{slug}/forwarding': {
    get: {
      operationId: 'getForwarding',
      summary: "Forwarding of the cloud's runs to an SCS compliance monitor, and its log (never the API key)",
      parameters: [path('slug', "The cloud's slug."), ...pageParameters],
      responses: {
        200: {
          description:
            '`{forwarding: {url, account, enabled, enabledAt, apiKeyFingerprint, updatedAt, updatedBy, counts} | null, deliveries: {items: [{id, runId, url, account, status, attempts, nextAttemptAt, lastError, createdAt, deliveredAt, log}], total, page, pageSize}}`.',
          content: json({ type: 'object' }),
        },
        401: R[401],
        404: R[404],
      },
    },
    put: {
      operationId: 'setForwarding',
      summary:
        'Forward each run that finishes from now on, signed, to `<url>/reports` as `<account>` (staff; the API key is sealed by the vault; audited)',
      parameters: [path('slug', "The cloud's slug.")],
      requestBody: {
        required: true,
        content: json({
          type: 'object',
          required: ['url'],
          properties: {
            url: { type: 'string', format: 'uri' },
            account: { type: 'string', description: "Default: the cloud's SCS subject." },
            apiKey: { type: 'string', description: 'Required the first time; empty keeps the stored one.' },
            enabled: { type: 'boolean', default: true },
          },
        }),
      },
      responses: {
        200: { description: 'The setting.', content: json({ type: 'object' }) },
        400: R[400],
        401: R[401],
        403: R[403],
        404: R[404],
        422: R[422],
      },
    },
    delete: {
      operationId: 'removeForwarding',
      summary: 'Stop forwarding and delete the stored API key (staff; audited)',
      parameters: [path('slug', "The cloud's slug.")],
      responses: { 204: { description: 'Removed.' }, 401: R[401], 403: R[403], 404: R[404] },
    },
  },
  '/api/v1/signing-key': {
    get: {
      operationId: 'getSigningKey',
      summary: "Public: this instance's report-signing key, one OpenSSH line (register it at a compliance monitor)",
      security: [],
      responses: {
        200: { description: '`ssh-ed25519 AAAA… comment`', content: { 'text/plain': { schema: { type: 'string' } } } },
      },
    },
  },
  '/api/v1/organizations/{slug}/keys': {
    get: {
      operationId: 'listOrganizationKeys',
      summary: "The organization's report-signing keys (who sees the organization)",
      parameters: [organizationSlug],
      responses: {
        200: {
          description: '`{items: [OrganizationKey]}`, oldest first.',
          content: json({ type: 'object', properties: { items: { type: 'array', items: ref('OrganizationKey') } } }),
        },
        401: R[401],
        404: R[404],
      },
    },
    post: {
      operationId: 'addOrganizationKey',
      summary:
        'Register an OpenSSH public key whose SSHSIG signatures POST /reports accepts for the clouds of this organization (CSP users of the organization; audited). The reports it signs count only once staff approve the key',
      parameters: [organizationSlug],
      requestBody: { required: true, content: json(ref('OrganizationKeyCreate')) },
      responses: {
        201: { description: 'Registered.', content: json(ref('OrganizationKey')) },
        400: R[400],
        401: R[401],
        403: R[403],
        404: R[404],
        409: error('The name or the key is registered already, or the organization has 20 keys.'),
        422: error('Not an accepted OpenSSH public key (type, size, format); `fields.publicKey` says why.'),
      },
    },
  },
  '/api/v1/organizations/{slug}/keys/{name}': {
    delete: {
      operationId: 'deleteOrganizationKey',
      summary:
        'Remove a report-signing key (audited): reports signed with it are refused from then on, and the runs imported with it no longer count. CSP users of the organization remove keys that are not approved; an approved key only staff (admin, reviewer) may remove',
      parameters: [organizationSlug, path('name', "The key's name.")],
      responses: {
        204: { description: 'Removed.' },
        401: R[401],
        403: error('The caller may not remove this key; for an approved key a CSP user is told that only staff may.'),
        404: R[404],
      },
    },
  },
  '/api/v1/organizations/{slug}/keys/{name}/approval': {
    put: {
      operationId: 'approveOrganizationKey',
      summary:
        "Staff (admin, reviewer) approve a report-signing key: official-runner reports signed with it, before and after, count toward the verdicts and certificates of the organization's clouds. Audited; approving an approved key changes nothing",
      parameters: [organizationSlug, path('name', "The key's name.")],
      responses: {
        200: { description: 'The key, approved.', content: json(ref('OrganizationKey')) },
        401: R[401],
        403: R[403],
        404: R[404],
        409: error('The organization is archived.'),
      },
    },
    delete: {
      operationId: 'withdrawOrganizationKeyApproval',
      summary:
        'Staff (admin, reviewer) withdraw the approval: the runs imported with the key are kept and shown but no longer count. Audited; withdrawing from an unapproved key changes nothing',
      parameters: [organizationSlug, path('name', "The key's name.")],
      responses: {
        200: { description: 'The key, not approved.', content: json(ref('OrganizationKey')) },
        401: R[401],
        403: R[403],
        404: R[404],
      },
    },
  },
};
