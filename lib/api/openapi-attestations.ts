import {
  FIELDS,
  IMPLEMENTATIONS,
  KEK_LOCATIONS,
  RBAC_MODES,
  SECRET_STORES,
  YES_NO,
  QUESTIONS,
} from '../attestations/statement';

/**
 * The attestation part of the OpenAPI 3.1 document: `paths` and `components.schemas` to merge
 * into lib/api/openapi.ts (which is built on another branch). Every operation takes a bearer
 * token (or the session cookie); errors are {error: {code, message, fields?}}.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const json = (schema: unknown, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const common = {
  401: err('No or invalid credentials.'),
  403: err('Signed in, but not allowed (e.g. a reviewer writing a statement, or a CSP user reviewing).'),
  404: err('No such object, or it belongs to an organization the caller cannot see.'),
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
  description: 'The attestation revision.',
};
const slugParam = { name: 'slug', in: 'path', required: true, schema: { type: 'string' }, description: 'The cloud.' };

const enumOf = (o: Record<string, string>) => ({
  type: 'string',
  enum: Object.keys(o),
  description: Object.entries(o)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; '),
});
const statementProps: Record<string, unknown> = Object.fromEntries(
  FIELDS.map((f) => [f, { type: 'string', description: QUESTIONS[f] }]),
);
Object.assign(statementProps, {
  implementation: enumOf(IMPLEMENTATIONS),
  secretStore: enumOf(SECRET_STORES),
  kekLocation: enumOf(KEK_LOCATIONS),
  kekPlaintextOnHost: enumOf(YES_NO),
  keysEncrypted: enumOf(YES_NO),
  kekStoredApart: enumOf(YES_NO),
  rbac: enumOf(RBAC_MODES),
  validFrom: { type: 'string', format: 'date' },
  contactEmail: { type: 'string', format: 'email' },
});

export const attestationSchemas = {
  Statement: {
    type: 'object',
    additionalProperties: false,
    properties: statementProps,
    description:
      'Answers to the clauses of scs-0116 v1. Drafts may be partial; submission needs every answer and keysEncrypted=yes, kekStoredApart=yes, rbac≠neither. An empty string clears an answer.',
  },
  AttestationState: { type: 'string', enum: ['draft', 'submitted', 'changes_requested', 'approved', 'rejected'] },
  AttestationSummary: {
    type: 'object',
    required: ['id', 'revision', 'state', 'standard', 'cloud', 'createdAt', 'fileCount'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      revision: { type: 'integer' },
      state: ref('AttestationState'),
      standard: { type: 'string', const: 'scs-0116-v1' },
      cloud: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          slug: { type: 'string' },
          name: { type: 'string' },
          organization: { type: 'object' },
        },
      },
      createdByLabel: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      submittedAt: { type: ['string', 'null'], format: 'date-time' },
      decidedAt: { type: ['string', 'null'], format: 'date-time' },
      approvedAt: { type: ['string', 'null'], format: 'date-time' },
      expiresAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'approvedAt + ATTESTATION_VALIDITY_DAYS (default 91 days).',
      },
      fileCount: { type: 'integer' },
    },
  },
  EvidenceFile: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      mime: {
        type: 'string',
        enum: ['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/markdown'],
        description: 'Decided from the content (magic bytes), not the name.',
      },
      size: { type: 'integer' },
      sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      uploadedByLabel: { type: 'string' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  Signature: {
    type: 'object',
    description:
      'The signature record of one submission. digest = SHA-256 (hex) of the canonical JSON {attestation, cloud, files:[{mime,name,sha256,size}] sorted by sha256, revision, standard, statement}, keys sorted, no whitespace.',
    properties: {
      id: { type: 'string' },
      number: { type: 'integer' },
      signerName: { type: 'string' },
      signerEmail: { type: 'string' },
      signedAt: { type: 'string', format: 'date-time' },
      clientAddress: { type: ['string', 'null'] },
      userAgent: { type: ['string', 'null'] },
      digest: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      statement: ref('Statement'),
      files: { type: 'array', items: { type: 'object' } },
    },
  },
  Review: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      submissionNumber: { type: 'integer' },
      decision: { type: 'string', enum: ['approve', 'reject', 'request_changes'] },
      comment: { type: 'string' },
      reviewerLabel: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
    },
  },
  Attestation: {
    allOf: [
      ref('AttestationSummary'),
      {
        type: 'object',
        properties: {
          statement: ref('Statement'),
          files: { type: 'array', items: ref('EvidenceFile') },
          submissions: { type: 'array', items: ref('Signature') },
          reviews: { type: 'array', items: ref('Review') },
          notifications: { type: 'array', items: { type: 'object' } },
          editable: { type: 'boolean' },
          superseded: { type: 'boolean' },
        },
      },
    ],
  },
  ManualResult: {
    type: 'object',
    description:
      'The manual testcase key-manager-docs-check: PASS = latest decision an approval and approvedAt <= now < expiresAt; FAIL = latest decision a rejection; MISS = none or expired.',
    properties: {
      testcase: { type: 'string', const: 'key-manager-docs-check' },
      verdict: { type: 'string', enum: ['PASS', 'FAIL', 'MISS'] },
      reason: { type: 'string' },
      attestationId: { type: 'string' },
      revision: { type: 'integer' },
      expiresAt: { type: 'string', format: 'date-time' },
    },
  },
};

export const attestationPaths = {
  '/api/v1/clouds/{slug}/attestations': {
    get: {
      tags: ['attestations'],
      summary: "A cloud's attestation revisions and its manual testcase result",
      parameters: [slugParam],
      responses: {
        200: json({
          type: 'object',
          properties: {
            cloud: { type: 'object' },
            revisions: { type: 'array', items: ref('AttestationSummary') },
            open: { oneOf: [ref('AttestationSummary'), { type: 'null' }] },
            result: ref('ManualResult'),
          },
        }),
        ...common,
      },
    },
    post: {
      tags: ['attestations'],
      summary: "Start a new revision (CSP users of the cloud's organization)",
      description:
        "Starts from the latest revision's answers (without validFrom) and evidence. 409 while a revision is open (draft, submitted, changes_requested).",
      parameters: [slugParam],
      requestBody: {
        required: false,
        content: { 'application/json': { schema: { type: 'object', properties: { statement: ref('Statement') } } } },
      },
      responses: {
        201: json(ref('AttestationSummary'), 'Created'),
        409: err('A revision is open, or the cloud is archived.'),
        422: err('Invalid answers.'),
        ...common,
      },
    },
  },
  '/api/v1/attestations/{id}': {
    get: {
      tags: ['attestations'],
      summary: 'A revision with statement, files, signatures, reviews and notifications',
      parameters: [idParam],
      responses: { 200: json(ref('Attestation')), ...common },
    },
    patch: {
      tags: ['attestations'],
      summary: 'Save answers of a draft or of a revision returned for changes',
      parameters: [idParam],
      description:
        'Only the fields sent change; an empty string clears one. Body: the Statement object (or {statement: …}).',
      requestBody: { required: true, content: { 'application/json': { schema: ref('Statement') } } },
      responses: {
        200: json(ref('Attestation')),
        409: err('Submitted (waiting for review), or approved/rejected and immutable.'),
        422: err('Invalid answers.'),
        ...common,
      },
    },
  },
  '/api/v1/attestations/{id}/submit': {
    post: {
      tags: ['attestations'],
      summary: 'Sign and submit for review',
      parameters: [idParam],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['confirm', 'signerName'],
              properties: {
                confirm: { type: 'boolean', const: true },
                signerName: { type: 'string', minLength: 2, maxLength: 200 },
              },
            },
          },
        },
      },
      responses: {
        200: json(ref('Signature'), 'The signature record'),
        409: err('Not editable.'),
        422: err('Incomplete statement, a MUST clause denied, no evidence, or no confirmation.'),
        ...common,
      },
    },
  },
  '/api/v1/attestations/{id}/review': {
    post: {
      tags: ['attestations'],
      summary: 'Decide on a submitted revision (reviewers and admins)',
      parameters: [idParam],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['decision', 'comment'],
              properties: {
                decision: { type: 'string', enum: ['approve', 'request_changes', 'reject'] },
                comment: { type: 'string', minLength: 3 },
              },
            },
          },
        },
      },
      responses: {
        200: json(ref('AttestationSummary')),
        409: err('Not submitted.'),
        422: err('No comment or no decision.'),
        ...common,
      },
    },
  },
  '/api/v1/attestations/{id}/files': {
    get: {
      tags: ['attestations'],
      summary: "The revision's evidence files",
      parameters: [idParam],
      responses: { 200: json({ type: 'array', items: ref('EvidenceFile') }), ...common },
    },
    post: {
      tags: ['attestations'],
      summary: 'Upload one evidence file',
      parameters: [idParam],
      description:
        'PDF, PNG, JPEG, plain text (valid UTF-8, no NUL) or Markdown; the type is decided by the content and the extension must agree. At most ATTESTATION_MAX_FILE_MB (20 MiB) per file and ATTESTATION_MAX_FILES (10) per revision. A refused upload stores nothing.',
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: {
                file: { type: 'string', format: 'binary' },
                filename: { type: 'string', description: "Overrides the part's file name." },
              },
            },
          },
        },
      },
      responses: {
        201: json(ref('EvidenceFile'), 'Stored'),
        409: err('Not editable, or the same content is attached already.'),
        422: err('Empty, too large, wrong type, lying extension, path in the name, or the 11th file.'),
        ...common,
      },
    },
  },
  '/api/v1/attestations/{id}/files/{fileId}': {
    get: {
      tags: ['attestations'],
      summary: 'Download an evidence file (re-verified against its SHA-256)',
      parameters: [
        idParam,
        { name: 'fileId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        {
          name: 'inline',
          in: 'query',
          required: false,
          description:
            '1: for a preview. The content is sniffed again and must be the stored PNG, JPEG or PDF type (else 415); images are then answered inline.',
          schema: { type: 'string', enum: ['1'] },
        },
      ],
      responses: {
        200: {
          description:
            'The file, as an attachment (Content-Disposition; inline for an image with inline=1), with X-Content-Type-Options: nosniff and Repr-Digest: sha-256.',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        415: err('not_previewable: inline=1, and the content is not a PNG, JPEG or PDF of the stored type.'),
        500: err('integrity_error: the stored bytes no longer match the recorded SHA-256.'),
        ...common,
      },
    },
    delete: {
      tags: ['attestations'],
      summary: 'Detach an evidence file from an editable revision',
      parameters: [idParam, { name: 'fileId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: { 204: { description: 'Removed' }, 409: err('Not editable.'), ...common },
    },
  },
} as const;
