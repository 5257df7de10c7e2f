import { z } from 'zod';
import { cloudInput, scsSubjectSchema } from '../clouds';
import { organizationInput } from '../organizations';
import { emailSchema, slugSchema } from '../validation';

/**
 * The shapes of API v1, as zod schemas: request bodies and query strings are parsed with them
 * (then the lib functions validate again), responses are built to match them, and
 * lib/api/openapi.ts turns them into the OpenAPI document. Stable: add fields, never rename.
 */

// ------------------------------------------------------------------ requests

/** Contacts in the API are a JSON array (forms send a comma-separated string instead). */
const contactEmails = z.array(emailSchema).max(20, 'At most 20 contacts.');

export const organizationCreateBody = z.object({
  slug: slugSchema.describe('URL name, unique: lower-case letters, digits and inner hyphens.'),
  name: organizationInput.shape.name.describe('Display name of the cloud service provider.'),
  contactEmails: contactEmails.optional().describe('Who to contact about conformance results.'),
});

export const cloudCreateBody = z.object({
  slug: slugSchema.describe('URL name, unique across all clouds.'),
  name: cloudInput.shape.name.describe('Display name.'),
  organization: slugSchema.describe('Slug of the organization (CSP) that operates the cloud.'),
  region: cloudInput.shape.region.unwrap().describe('OpenStack region name, e.g. RegionOne.'),
  public: z.boolean({ message: 'true or false.' }).describe('Whether the cloud is listed on the public status page.'),
  description: cloudInput.shape.description.describe('Free text.'),
  contactEmails: contactEmails.optional(),
  scsSubject: scsSubjectSchema
    .optional()
    .describe(
      'The subject SCS tooling (the official runner, the compliance monitor) names the cloud by; unique; default: the slug.',
    ),
});

/** Query values arrive as strings; an empty value counts as absent. */
const queryInt = (max?: number) => {
  let n = z.coerce.number({ message: 'A whole number.' }).int('A whole number.').min(1, 'At least 1.');
  if (max) n = n.max(max, `At most ${max}.`);
  return n.optional();
};
const queryBool = z.enum(['true', 'false'], { message: 'true or false.' }).optional();

export const pageQuery = z.object({
  page: queryInt().describe('1-based page number (default 1).'),
  pageSize: queryInt(200).describe('Items per page, 1-200 (default 25).'),
});
export const organizationListQuery = pageQuery.extend({
  q: z.string().trim().max(200).optional().describe('Filter: part of the slug or name (case-insensitive).'),
  archived: queryBool.describe('Include archived organizations (default false).'),
});
export const cloudListQuery = pageQuery.extend({
  q: z.string().trim().max(200).optional().describe('Filter: part of the slug or name (case-insensitive).'),
  organization: z.string().trim().max(63).optional().describe('Filter: slug of the organization.'),
  archived: queryBool.describe('Include archived clouds (default false).'),
});

// ------------------------------------------------------------------ responses

const isoDate = z.iso.datetime({ offset: true });
const organizationRef = z.object({ slug: z.string(), name: z.string() });

export const meSchema = z.object({
  id: z.string().describe('Internal id (stable; prefer email in scripts).'),
  email: z.string(),
  name: z.string(),
  role: z.enum(['admin', 'reviewer', 'csp']),
  organizations: z.array(organizationRef).describe('Organizations the user is a member of (staff see all regardless).'),
  authenticatedBy: z.enum(['token', 'session']),
});

export const organizationSchema = z.object({
  slug: z.string(),
  name: z.string(),
  contactEmails: z.array(z.string()),
  cloudCount: z.number().int().describe('Clouds of this organization, archived ones included.'),
  archivedAt: isoDate.nullable(),
  createdAt: isoDate,
  id: z.string().describe('Internal id; use the slug to refer to the organization.'),
});

export const cloudSchema = z.object({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  organization: organizationRef,
  region: z.string(),
  public: z.boolean(),
  contactEmails: z.array(z.string()),
  scsSubject: z.string().describe('The SCS subject: the user name of POST /reports and the subject of its reports.'),
  archivedAt: isoDate.nullable(),
  createdAt: isoDate,
  id: z.string().describe('Internal id; use the slug to refer to the cloud.'),
});

const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int().describe('Matching items on all pages.'),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
export const organizationListSchema = listOf(organizationSchema);
export const cloudListSchema = listOf(cloudSchema);

export const errorSchema = z.object({
  error: z.object({
    code: z
      .string()
      .describe(
        'Machine-readable: unauthenticated, forbidden, not_found, conflict, invalid_input, invalid_json, internal, ...',
      ),
    message: z.string().describe('For humans.'),
    fields: z
      .record(z.string(), z.string())
      .optional()
      .describe('Per-field messages (422, some 409), keyed by field name.'),
  }),
});

export type ApiMe = z.infer<typeof meSchema>;
export type ApiOrganization = z.infer<typeof organizationSchema>;
export type ApiCloud = z.infer<typeof cloudSchema>;
export type ApiList<T> = { items: T[]; total: number; page: number; pageSize: number };
