import { z } from 'zod';
import {
  cloudCreateBody,
  cloudListQuery,
  cloudListSchema,
  cloudSchema,
  errorSchema,
  meSchema,
  organizationCreateBody,
  organizationListQuery,
  organizationListSchema,
  organizationSchema,
} from './schemas';
import { attestationPaths, attestationSchemas } from './openapi-attestations';
import { REPORT_FORMAT_DESCRIPTION, interopPaths, interopSchemas, listRunsOperation } from './openapi-interop';

/**
 * The OpenAPI 3.1 document of API v1, built from the same zod schemas the handlers parse with
 * (lib/api/schemas.ts). tests/unit/openapi.test.ts asserts that its paths and methods are exactly
 * the route handlers under app/api/v1, so a new route without documentation fails the tests.
 */

type Json = Record<string, unknown>;

/** Drops what an OpenAPI reader does not need from zod's JSON Schema output. */
function clean(node: unknown, io: 'input' | 'output'): unknown {
  if (Array.isArray(node)) return node.map((n) => clean(n, io));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === '$id') continue;
    // zod spells out its regexes for formats (email, date-time); the format name says it.
    if (k === 'pattern' && typeof (node as Json).format === 'string') continue;
    // z.number().int() bounds itself to the safe integers: noise.
    if ((k === 'minimum' || k === 'maximum') && Math.abs(Number(v)) === Number.MAX_SAFE_INTEGER) continue;
    // Responses may gain fields in later versions: clients must ignore unknown ones.
    if (io === 'output' && k === 'additionalProperties' && v === false) continue;
    out[k] = clean(v, io);
  }
  return out;
}

/** Named schemas, with references between them (a list refers to its item schema). */
function components(named: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return clean(schemas, io) as Record<string, Json>;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  return clean(z.toJSONSchema(schema, { io, unrepresentable: 'any' }), io) as Json;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) });

/** Query parameters from a zod object of optional string-ish values. */
function queryParameters(schema: z.ZodObject): Json[] {
  const props = (schemaOf(schema, 'input').properties ?? {}) as Record<string, Json>;
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: 'query', required: false, description, schema: rest };
  });
}

const slugParameter = {
  name: 'slug',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'The slug.',
};

const runIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
  description: 'The run.',
};

const runSchemas: Record<string, Json> = {
  Run: {
    type: 'object',
    required: ['id', 'cloud', 'status', 'results'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      cloud: { type: 'string', description: "The cloud's slug." },
      status: { type: 'string', enum: ['queued', 'running', 'finished', 'cancelled', 'interrupted'] },
      startedAt: { type: ['string', 'null'], format: 'date-time' },
      finishedAt: { type: ['string', 'null'], format: 'date-time' },
      endpoint: {
        type: 'object',
        description: "The endpoint the run's credential named (auth URL normalized); null until the run started.",
        properties: { authUrl: { type: ['string', 'null'] }, region: { type: ['string', 'null'] } },
      },
      counts: {
        type: 'boolean',
        description:
          "Whether its results count toward verdicts and certificates: false for an imported report (`source` official-runner) whose signing key the certification body has not approved (or no longer approves), and when the cloud's certified endpoint is pinned and the run's endpoint is another.",
      },
      notCountedReason: { type: ['string', 'null'], description: 'Why it does not count (null when it counts).' },
      source: { type: 'string', enum: ['dashboard', 'official-runner'] },
      signedBy: {
        type: ['object', 'null'],
        description:
          'Imported runs: the key the report was signed with, as it stands now (`key` null: removed since); null for our own runs.',
        properties: {
          key: { type: ['string', 'null'] },
          fingerprint: { type: 'string' },
          approvedAt: { type: ['string', 'null'], format: 'date-time' },
          approvedBy: { type: ['string', 'null'] },
        },
      },
      results: {
        type: 'array',
        items: {
          type: 'object',
          required: ['testcase', 'verdict', 'message', 'durationMs'],
          properties: {
            testcase: { type: 'string' },
            verdict: { type: 'string', enum: ['PASS', 'FAIL', 'ABORT'] },
            message: { type: 'string' },
            durationMs: { type: 'integer' },
          },
        },
      },
    },
  },
};

const personaParameter = {
  name: 'persona',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: ['primary', 'reader', 'other-project', 'all'], default: 'primary' },
  description:
    'Which credential: the primary one the checks use, or an extra persona for the deeper checks (`all` only for GET).',
};

// Credentials are write-only: these shapes are documented by hand because the input is a union
// of three ways users already hold a credential (lib/credentials parses and validates them).
const credentialSchemas: Record<string, Json> = {
  Credential: {
    type: 'object',
    properties: {
      persona: { type: 'string' },
      type: { type: 'string', enum: ['password', 'application_credential'] },
      principal: { type: 'string', description: 'User name or application credential id.' },
      authUrl: { type: 'string' },
      region: { type: 'string' },
      interface: { type: 'string' },
      fingerprint: { type: 'string', description: 'Last 4 hex digits of the SHA-256 of the secret.' },
      allowPrivateAddresses: { type: 'boolean' },
      hasCaBundle: { type: 'boolean' },
      setBy: { type: 'string' },
      setAt: { type: 'string', format: 'date-time' },
      lastTest: { oneOf: [{ $ref: '#/components/schemas/ConnectionTest' }, { type: 'null' }] },
    },
  },
  CredentialInput: {
    oneOf: [
      {
        type: 'object',
        required: ['clouds_yaml'],
        properties: {
          clouds_yaml: { type: 'string' },
          secure_yaml: { type: 'string' },
          cloud: { type: 'string', description: 'Entry under clouds:' },
          allow_private_addresses: { type: 'boolean' },
        },
      },
      {
        type: 'object',
        required: ['openrc'],
        properties: {
          openrc: { type: 'string' },
          password: { type: 'string' },
          application_credential_secret: { type: 'string' },
          allow_private_addresses: { type: 'boolean' },
        },
      },
      {
        type: 'object',
        required: ['auth_url'],
        properties: {
          auth_url: { type: 'string' },
          region: { type: 'string' },
          interface: { type: 'string', enum: ['public', 'internal', 'admin'] },
          username: { type: 'string' },
          user_domain_name: { type: 'string' },
          password: { type: 'string' },
          project_id: { type: 'string' },
          project_name: { type: 'string' },
          project_domain_name: { type: 'string' },
          application_credential_id: { type: 'string' },
          application_credential_name: { type: 'string' },
          application_credential_secret: { type: 'string' },
          ca_bundle: { type: 'string', description: 'PEM' },
          allow_private_addresses: { type: 'boolean' },
        },
      },
    ],
  },
  ConnectionTest: {
    type: 'object',
    properties: {
      ok: { type: 'boolean' },
      error: { type: 'string' },
      roles: { type: 'array', items: { type: 'string' } },
      services: { type: 'array', items: { type: 'string' } },
      warnings: { type: 'array', items: { type: 'string' } },
    },
    additionalProperties: true,
  },
};

const R = {
  400: errorResponse('The body is not JSON (code invalid_json).'),
  401: errorResponse('No credentials, or a token that is unknown, revoked or expired, or whose user is deactivated.'),
  403: errorResponse('The caller may see the resource but not do this.'),
  404: errorResponse('Not found, or not visible to the caller (existence is not revealed).'),
  409: errorResponse('The slug is taken.'),
  422: errorResponse('Invalid input; `fields` says which field and why.'),
};

/**
 * Paths written with the full /api/v1 prefix, made relative to `servers`, each operation with
 * an operationId (derived from method and path when the author gave none).
 */
function relativePaths(paths: Record<string, Record<string, Json>>): Record<string, Record<string, Json>> {
  return Object.fromEntries(
    Object.entries(paths).map(([p, ops]) => {
      const rel = p.replace(/^\/api\/v1/, '');
      const named = Object.fromEntries(
        Object.entries(ops).map(([method, op]) => [
          method,
          {
            operationId: `${method}${rel
              .replace(/\{(\w+)\}/g, 'By-$1')
              .split(/[/-]/)
              .filter(Boolean)
              .map((w) => w[0].toUpperCase() + w.slice(1))
              .join('')}`,
            ...op,
          },
        ]),
      );
      return [rel, named];
    }),
  );
}

const STATUS = { type: 'string', enum: ['PASS', 'FAIL', 'MISS', 'DNF'] };
const VERDICT = { type: 'string', enum: ['PASS', 'FAIL', 'ABORT', 'MISS'] };
const nullable = (schema: Json): Json => ({ anyOf: [schema, { type: 'null' }] });
const complianceSchemas: Record<string, Json> = {
  CloudStatus: {
    type: 'object',
    required: ['cloud', 'name', 'organization', 'status', 'official', 'statusPage', 'badge', 'versions', 'generatedAt'],
    properties: {
      cloud: { type: 'string' },
      name: { type: 'string' },
      organization: { type: 'string' },
      status: { ...STATUS, description: "This dashboard's full profile scs-0116-v1 (the basis of certificates)." },
      official: nullable({
        type: 'object',
        description: 'The official SCS verdict, as the compliance monitor picks it among the versions of the day.',
        properties: { status: STATUS, version: { type: 'string' }, validity: { type: 'string' } },
      }),
      statusPage: { type: 'string', format: 'uri', description: 'Absolute: PUBLIC_URL, else the request origin.' },
      badge: { type: 'string', format: 'uri' },
      versions: {
        type: 'array',
        description:
          'The official versions of the day that are not drafts (`scs-compatible-iaas/v5.1`, ...), then `scs-0116-v1` and the informational `scs-0116-draft`.',
        items: {
          type: 'object',
          required: ['standard', 'status', 'reasons', 'warnings', 'testcases'],
          properties: {
            standard: { type: 'string' },
            kind: { type: 'string', enum: ['official', 'dashboard'] },
            validity: { type: 'string', enum: ['effective', 'warn', 'draft', 'deprecated'] },
            informational: { type: 'boolean' },
            status: STATUS,
            reasons: { type: 'array', items: { type: 'string' } },
            warnings: { type: 'array', items: { type: 'string' } },
            testcases: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  requirement: { type: 'string', enum: ['mandatory', 'recommended', 'preview'] },
                  verdict: VERDICT,
                  checkedAt: { type: ['string', 'null'], format: 'date-time' },
                  expiresAt: { type: ['string', 'null'], format: 'date-time' },
                },
              },
            },
          },
        },
      },
      attestation: { type: 'object' },
      certificate: { type: 'object' },
      generatedAt: { type: 'string', format: 'date-time' },
    },
  },
  History: {
    type: 'object',
    required: ['cloud', 'from', 'to', 'testcases', 'compliance'],
    properties: {
      cloud: { type: 'string' },
      from: { type: 'string', format: 'date' },
      to: { type: 'string', format: 'date' },
      since: { type: ['string', 'null'], format: 'date', description: 'The first day with data.' },
      testcases: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            testcase: { type: 'string' },
            requirement: { type: 'string' },
            days: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  day: { type: 'string', format: 'date' },
                  verdict: {
                    ...nullable(VERDICT),
                    description: 'null: no data (before the cloud or its first result).',
                  },
                  results: { type: 'integer' },
                  carried: { type: 'boolean' },
                },
              },
            },
          },
        },
      },
      compliance: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            standard: {
              type: 'string',
              description: '`scs-0116-v1`, `scs-compatible-iaas` (official), `scs-0116-draft`.',
            },
            share: { type: 'object', description: 'Days per status, days with data only.' },
            daysWithData: { type: 'integer' },
            days: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  day: { type: 'string', format: 'date' },
                  status: { ...nullable(STATUS), description: 'null: the cloud did not exist yet.' },
                  version: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  },
  CertifiedEndpoint: {
    type: 'object',
    required: ['certifiedEndpoint'],
    properties: {
      certifiedEndpoint: nullable({
        type: 'object',
        properties: {
          authUrl: { type: 'string', description: 'Normalized: no trailing slash, /v3 or default port.' },
          region: { type: 'string' },
          pinnedAt: { type: ['string', 'null'], format: 'date-time' },
          pinnedBy: { type: ['string', 'null'] },
        },
      }),
    },
  },
};

const csvOrMarkdown = { 'text/csv': { schema: { type: 'string' } }, 'text/markdown': { schema: { type: 'string' } } };
const compliancePaths = {
  '/status': {
    get: {
      operationId: 'getStatus',
      summary:
        'Public: the compliance status of every publicly listed cloud, or of one (`?cloud=slug`); no token needed',
      security: [],
      parameters: [
        {
          name: 'cloud',
          in: 'query',
          required: false,
          schema: { type: 'string' },
          description: "A public cloud's slug.",
        },
      ],
      responses: {
        200: {
          description: '`{items: [CloudStatus]}`, or one CloudStatus.',
          content: json({
            oneOf: [
              ref('CloudStatus'),
              { type: 'object', properties: { items: { type: 'array', items: ref('CloudStatus') } } },
            ],
          }),
        },
        404: R[404],
      },
    },
  },
  '/certificates/revoked': {
    get: {
      operationId: 'getRevokedCertificates',
      summary: 'Public: the certificate revocation list (names only of publicly listed clouds)',
      security: [],
      responses: {
        200: {
          description:
            '`{items: [{id, cloud: {slug, name} | null, organization | null, standard, grantedAt, validUntil, revokedAt, reason}]}`.',
          content: json({ type: 'object' }),
        },
      },
    },
  },
  '/compliance': {
    get: {
      operationId: 'getCompliance',
      summary: 'The compliance overview of the clouds the caller may see, as JSON, CSV or a Markdown table',
      parameters: [
        {
          name: 'format',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['json', 'csv', 'markdown'], default: 'json' },
        },
        { name: 'q', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'organization', in: 'query', required: false, schema: { type: 'string' } },
        {
          name: 'status',
          in: 'query',
          required: false,
          schema: STATUS,
        },
        {
          name: 'sort',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['name', 'organization', 'status', 'lastRun', 'attestation', 'certificate'] },
        },
        { name: 'dir', in: 'query', required: false, schema: { type: 'string', enum: ['asc', 'desc'] } },
      ],
      responses: {
        200: { description: 'The overview.', content: { ...json({ type: 'object' }), ...csvOrMarkdown } },
        401: R[401],
      },
    },
  },
  '/clouds/{slug}/history': {
    get: {
      operationId: 'getCloudHistory',
      summary: "A cloud's history: the verdict per day and testcase and the status per day, as JSON or CSV",
      parameters: [
        slugParameter,
        {
          name: 'format',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['json', 'csv'], default: 'json' },
        },
        {
          name: 'period',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['30d', '90d', '6m', '12m', '18m'], default: '18m' },
        },
      ],
      responses: {
        200: {
          description: 'The history (CSV: the verdict and status cells are empty where there is no data).',
          content: { ...json(ref('History')), 'text/csv': { schema: { type: 'string' } } },
        },
        401: R[401],
        404: R[404],
      },
    },
  },
};

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'SCS Key-Manager Conformance API',
      version: '1.0.0',
      description: [
        'Organizations (CSPs) and their clouds, for automation. Authenticate with a personal API token',
        '(`Authorization: Bearer scskm_...`), created on the Tokens page or with',
        '`npm run --silent admin -- create-token <email>`. A token acts as its user, with the same rights as in the dashboard.',
        'Errors are `{"error": {"code", "message", "fields"?}}`. Dates are ISO 8601 strings in UTC.',
        'Lists are `{"items", "total", "page", "pageSize"}`.',
      ].join(' '),
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    paths: {
      '/me': {
        get: {
          operationId: 'getMe',
          summary: 'The user the token (or session) acts as',
          responses: { 200: { description: 'The caller.', content: json(ref('Me')) }, 401: R[401] },
        },
      },
      '/organizations': {
        get: {
          operationId: 'listOrganizations',
          summary: 'Organizations the caller may see (staff: all; CSP users: their own), by name',
          parameters: queryParameters(organizationListQuery),
          responses: {
            200: { description: 'One page.', content: json(ref('OrganizationList')) },
            401: R[401],
            422: R[422],
          },
        },
        post: {
          operationId: 'createOrganization',
          summary: 'Create an organization (admins and reviewers)',
          requestBody: { required: true, content: json(ref('OrganizationCreate')) },
          responses: {
            201: { description: 'Created.', content: json(ref('Organization')) },
            400: R[400],
            401: R[401],
            403: R[403],
            409: R[409],
            422: R[422],
          },
        },
      },
      '/clouds': {
        get: {
          operationId: 'listClouds',
          summary: "Clouds the caller may see (staff: all; CSP users: their organizations'), by name",
          parameters: queryParameters(cloudListQuery),
          responses: { 200: { description: 'One page.', content: json(ref('CloudList')) }, 401: R[401], 422: R[422] },
        },
        post: {
          operationId: 'createCloud',
          summary: 'Create a cloud in an organization (admins and reviewers)',
          requestBody: { required: true, content: json(ref('CloudCreate')) },
          responses: {
            201: { description: 'Created.', content: json(ref('Cloud')) },
            400: R[400],
            401: R[401],
            403: R[403],
            404: errorResponse('The organization is not visible to the caller.'),
            409: R[409],
            422: errorResponse('Invalid input, or no such (active) organization; `fields` says which field and why.'),
          },
        },
      },
      '/clouds/{slug}': {
        get: {
          operationId: 'getCloud',
          summary: 'One cloud',
          parameters: [slugParameter],
          responses: { 200: { description: 'The cloud.', content: json(ref('Cloud')) }, 401: R[401], 404: R[404] },
        },
      },
      '/clouds/{slug}/certified-endpoint': {
        get: {
          operationId: 'getCertifiedEndpoint',
          summary: "The cloud's certified endpoint (Keystone auth URL and region runs must use to count), or null",
          parameters: [slugParameter],
          responses: {
            200: { description: 'The pin.', content: json(ref('CertifiedEndpoint')) },
            401: R[401],
            404: R[404],
          },
        },
        put: {
          operationId: 'putCertifiedEndpoint',
          summary:
            'Staff pin the certified endpoint `{authUrl, region}` (audited); credentials for other endpoints are then refused with 422 and runs against them do not count',
          parameters: [slugParameter],
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              required: ['authUrl', 'region'],
              properties: { authUrl: { type: 'string', format: 'uri' }, region: { type: 'string' } },
            }),
          },
          responses: {
            200: { description: 'Pinned.', content: json(ref('CertifiedEndpoint')) },
            400: R[400],
            401: R[401],
            403: R[403],
            404: R[404],
            422: R[422],
          },
        },
        delete: {
          operationId: 'deleteCertifiedEndpoint',
          summary: 'Staff remove the pin (audited): runs count again whatever endpoint they name',
          parameters: [slugParameter],
          responses: { 204: { description: 'Removed.' }, 401: R[401], 403: R[403], 404: R[404] },
        },
      },
      '/clouds/{slug}/credential': {
        get: {
          operationId: 'getCredential',
          summary: "The write-only view of a cloud's credential (never a secret)",
          parameters: [slugParameter, personaParameter],
          responses: {
            200: {
              description:
                'The credential, or with persona=all `{items: {primary, reader, other-project}}` (null where unset).',
              content: json(ref('Credential')),
            },
            401: R[401],
            404: errorResponse('No such cloud visible to the caller, or no credential of that persona.'),
          },
        },
        put: {
          operationId: 'putCredential',
          summary:
            "Set or replace a credential (staff; CSP users for their own organizations' clouds); encrypted at once",
          parameters: [slugParameter, personaParameter],
          requestBody: { required: true, content: json(ref('CredentialInput')) },
          responses: {
            200: { description: 'Stored; the write-only view.', content: json(ref('Credential')) },
            400: R[400],
            401: R[401],
            404: R[404],
            422: R[422],
          },
        },
        delete: {
          operationId: 'deleteCredential',
          summary: 'Delete a credential',
          parameters: [slugParameter, personaParameter],
          responses: { 204: { description: 'Deleted.' }, 401: R[401], 404: R[404] },
        },
      },
      '/clouds/{slug}/credential/test': {
        post: {
          operationId: 'testCredential',
          summary:
            'Authenticate with the stored credential and report roles, project, catalog and the key-manager endpoint, with warnings',
          parameters: [slugParameter, personaParameter],
          responses: {
            200: {
              description: 'The connection test (also when authentication failed: see `ok` and `error`).',
              content: json(ref('ConnectionTest')),
            },
            401: R[401],
            404: R[404],
          },
        },
      },
      ...relativePaths(attestationPaths),
      ...relativePaths(interopPaths),
      '/clouds/{slug}/runs': {
        get: listRunsOperation,
        post: {
          operationId: 'startRun',
          summary:
            'Run the checks now (one active run per cloud: while one is queued or running, that run is returned)',
          parameters: [slugParameter],
          requestBody: {
            required: false,
            content: json({
              type: 'object',
              properties: {
                testcases: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Testcase ids; default: every applicable check.',
                },
              },
            }),
          },
          responses: {
            201: {
              description: 'Queued.',
              content: json({
                type: 'object',
                properties: { id: { type: 'string', format: 'uuid' } },
                required: ['id'],
              }),
            },
            200: {
              description: 'A run of this cloud is already queued or running: its id.',
              content: json({
                type: 'object',
                properties: { id: { type: 'string', format: 'uuid' } },
                required: ['id'],
              }),
            },
            401: R[401],
            404: R[404],
            422: R[422],
          },
        },
      },
      '/runs/{id}': {
        get: {
          operationId: 'getRun',
          summary: 'A run and its results',
          parameters: [runIdParameter],
          responses: { 200: { description: 'The run.', content: json(ref('Run')) }, 401: R[401], 404: R[404] },
        },
      },
      '/runs/{id}/events': {
        get: {
          operationId: 'streamRun',
          summary: 'Live progress as Server-Sent Events (`snapshot` events until the run ends)',
          parameters: [runIdParameter],
          responses: {
            200: { description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
            401: R[401],
            404: R[404],
          },
        },
      },
      '/runs/{id}/report': {
        get: {
          operationId: 'getRunReport',
          summary: 'Download the run: `format=json`, `yaml` or `signed-yaml`',
          parameters: [
            runIdParameter,
            {
              name: 'format',
              in: 'query',
              required: false,
              description: REPORT_FORMAT_DESCRIPTION,
              schema: { type: 'string', enum: ['json', 'yaml', 'signed-yaml'], default: 'json' },
            },
          ],
          responses: {
            200: {
              description: 'The report as an attachment.',
              content: {
                'application/json': { schema: { type: 'object' } },
                'application/yaml': { schema: { type: 'string' } },
                'application/x-signed-yaml': { schema: { type: 'string' } },
              },
            },
            401: R[401],
            404: R[404],
            409: errorResponse('signed-yaml of a run that has not finished.'),
            422: R[422],
          },
        },
      },
      ...compliancePaths,
      '/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This document (public)',
          security: [],
          responses: {
            200: {
              description: 'OpenAPI 3.1 document.',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Personal API token (scskm_...).' },
      },
      schemas: {
        ...components(
          {
            Me: meSchema,
            Organization: organizationSchema,
            OrganizationList: organizationListSchema,
            Cloud: cloudSchema,
            CloudList: cloudListSchema,
            Error: errorSchema,
          },
          'output',
        ),
        ...components({ OrganizationCreate: organizationCreateBody, CloudCreate: cloudCreateBody }, 'input'),
        ...credentialSchemas,
        ...runSchemas,
        ...complianceSchemas,
        ...(attestationSchemas as Record<string, Json>),
        ...interopSchemas,
      },
    },
  };
}
