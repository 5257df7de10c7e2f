import { z } from 'zod';
import { db, type Cloud, type Prisma } from '../db';
import { authorize, visibleOrganizationIds } from '../auth/policy';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { ConflictError, ValidationError, parseInput } from '../errors';
import { pageArgs, toPage, type Page, type PageRequest } from '../pagination';
import { checkboxSchema, emailListSchema, slugSchema } from '../validation';
import { now as clockNow } from '../clock';
import { cloudResource, loadFor } from '../resources';

/**
 * The subject SCS tooling names the cloud by (the runner's --subject, the compliance monitor's account):
 * as the monitor kit's subjects, a letter or digit, then letters, digits, dot, dash or underscore. Empty
 * means "the slug", the default.
 */
export const scsSubjectSchema = z
  .string()
  .trim()
  .max(100, 'At most 100 characters.')
  .regex(
    /^(?:[A-Za-z0-9][A-Za-z0-9._-]*)?$/,
    'A letter or digit first, then letters, digits, dot, dash or underscore.',
  );

export const cloudInput = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1, 'Name is required.').max(200),
  description: z.string().trim().max(2000).optional().default(''),
  /** The organization's slug. */
  organization: slugSchema,
  region: z
    .string()
    .trim()
    .min(1, 'Region is required.')
    .max(100)
    .regex(/^[\w.-]+$/, 'Letters, digits, dot, dash and underscore only.')
    .default('RegionOne'),
  public: checkboxSchema.optional().default(false),
  contactEmails: emailListSchema.optional(),
  scsSubject: scsSubjectSchema.optional().default(''),
});
export const cloudUpdate = cloudInput.omit({ slug: true });

export interface CloudView {
  id: string;
  slug: string;
  name: string;
  description: string;
  region: string;
  public: boolean;
  contactEmails: string[];
  /** The SCS subject (the slug unless staff chose another). */
  scsSubject: string;
  archivedAt: Date | null;
  createdAt: Date;
  schedule: string;
  nextRunAt: Date | null;
  organization: { id: string; slug: string; name: string };
  /** The certified endpoint pinned by staff (lib/compliance/certified-endpoint.ts), or null. */
  certifiedEndpoint: { authUrl: string; region: string; pinnedAt: Date | null; pinnedBy: string | null } | null;
  /** Whether the public status page shows the messages of its results. */
  publicRunMessages: boolean;
}

type CloudRow = Cloud & { organization: { id: string; slug: string; name: string } };
const include = { organization: { select: { id: true, slug: true, name: true } } } as const;

function view(c: CloudRow): CloudView {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    description: c.description,
    region: c.region,
    public: c.public,
    contactEmails: c.contactEmails,
    scsSubject: c.scsSubject ?? c.slug,
    archivedAt: c.archivedAt,
    createdAt: c.createdAt,
    schedule: c.schedule,
    nextRunAt: c.nextRunAt,
    organization: c.organization,
    certifiedEndpoint:
      c.certifiedAuthUrl && c.certifiedRegion
        ? { authUrl: c.certifiedAuthUrl, region: c.certifiedRegion, pinnedAt: c.pinnedAt, pinnedBy: c.pinnedByLabel }
        : null,
    publicRunMessages: c.publicRunMessages,
  };
}

/** A field error when another cloud has this SCS subject (the unique index is the last word under races). */
async function assertSubjectFree(
  tx: Prisma.TransactionClient,
  subject: string,
  cloudId: string | null,
  chosen: boolean,
) {
  const other = await tx.cloud.findUnique({ where: { scsSubject: subject }, select: { id: true, slug: true } });
  if (other && other.id !== cloudId)
    throw new ConflictError(`The SCS subject "${subject}" is already the subject of cloud ${other.slug}.`, {
      scsSubject: chosen
        ? `Cloud ${other.slug} has this subject already.`
        : `The default subject (the slug, "${subject}") is taken by cloud ${other.slug}: choose another subject.`,
    });
}

export type CloudSort = 'name' | 'slug' | 'organization' | 'created';

export async function listClouds(
  ctx: RequestContext,
  req: PageRequest & {
    q?: string;
    organization?: string;
    archived?: boolean;
    sort?: CloudSort;
    dir?: 'asc' | 'desc';
  } = {},
): Promise<Page<CloudView>> {
  authorize(ctx.actor, 'cloud.list', { type: 'global' });
  const ids = visibleOrganizationIds(ctx.actor);
  const where: Prisma.CloudWhereInput = {
    ...(ids ? { organizationId: { in: ids } } : {}),
    ...(req.archived ? {} : { archivedAt: null }),
    ...(req.organization ? { organization: { slug: req.organization } } : {}),
    ...(req.q
      ? { OR: [{ slug: { contains: req.q, mode: 'insensitive' } }, { name: { contains: req.q, mode: 'insensitive' } }] }
      : {}),
  };
  const dir = req.dir === 'desc' ? 'desc' : 'asc';
  const orderBy: Prisma.CloudOrderByWithRelationInput =
    req.sort === 'slug'
      ? { slug: dir }
      : req.sort === 'organization'
        ? { organization: { name: dir } }
        : req.sort === 'created'
          ? { createdAt: dir }
          : { name: dir };
  const { skip, take, page, pageSize } = pageArgs(req);
  const [rows, total] = await Promise.all([
    db.cloud.findMany({ where, orderBy: [orderBy, { slug: 'asc' }], skip, take, include }),
    db.cloud.count({ where }),
  ]);
  return toPage(rows.map(view), total, page, pageSize);
}

export async function getCloud(ctx: RequestContext, slug: string): Promise<CloudView> {
  return view(
    await loadFor(ctx, 'cloud.read', 'Cloud', db.cloud.findUnique({ where: { slug }, include }), cloudResource),
  );
}

async function organizationBySlug(tx: Prisma.TransactionClient, slug: string) {
  const o = await tx.organization.findUnique({ where: { slug } });
  if (!o || o.archivedAt)
    throw new ValidationError({ organization: o ? 'This organization is archived.' : 'No such organization.' });
  return o;
}

export async function createCloud(ctx: RequestContext, input: unknown): Promise<CloudView> {
  const data = parseInput(cloudInput, input);
  return db.$transaction(async (tx) => {
    // A CSP naming another organization, or none, learns nothing of it; staff are told which field is wrong.
    const org = await tx.organization.findUnique({ where: { slug: data.organization } });
    authorize(ctx.actor, 'cloud.create', org ? { type: 'organization', id: org.id } : { type: 'missing' });
    await organizationBySlug(tx, data.organization);
    // Slug and subject in one read: with two reads, a create of the same slug committing between
    // them would show up as a taken (default) subject, naming the wrong field.
    const subject = data.scsSubject || data.slug;
    const taken = await tx.cloud.findMany({
      where: { OR: [{ slug: data.slug }, { scsSubject: subject }] },
      select: { slug: true },
    });
    if (taken.some((t) => t.slug === data.slug))
      throw new ConflictError(`A cloud with slug "${data.slug}" exists already.`, { slug: 'This slug is taken.' });
    if (taken.length) await assertSubjectFree(tx, subject, null, !!data.scsSubject);
    const c = await tx.cloud.create({
      data: {
        slug: data.slug,
        scsSubject: subject,
        name: data.name,
        description: data.description,
        organizationId: org!.id,
        region: data.region,
        public: data.public,
        contactEmails: data.contactEmails ?? [],
      },
      include,
    });
    await recordAudit(tx, ctx, {
      action: 'cloud.create',
      targetType: 'cloud',
      targetId: c.slug,
      organizationId: c.organizationId,
      summary: `created cloud ${c.name} (${c.slug}) for ${org!.slug}${c.public ? ', listed publicly' : ''}`,
    });
    return view(c);
  });
}

export async function updateCloud(ctx: RequestContext, slug: string, input: unknown): Promise<CloudView> {
  const current = await getCloud(ctx, slug);
  authorize(ctx.actor, 'cloud.update', { type: 'cloud', organizationId: current.organization.id });
  const data = parseInput(cloudUpdate, input);
  return db.$transaction(async (tx) => {
    const org = await organizationBySlug(tx, data.organization);
    // Moving a cloud needs the right to create clouds in the target organization too.
    authorize(ctx.actor, 'cloud.create', { type: 'organization', id: org.id });
    const scsSubject = data.scsSubject || current.slug;
    await assertSubjectFree(tx, scsSubject, current.id, !!data.scsSubject);
    const c = await tx.cloud.update({
      where: { id: current.id },
      data: {
        scsSubject,
        name: data.name,
        description: data.description,
        organizationId: org.id,
        region: data.region,
        public: data.public,
        contactEmails: data.contactEmails ?? [],
      },
      include,
    });
    const changes: string[] = (['name', 'description', 'region', 'public'] as const).filter((k) => current[k] !== c[k]);
    if (current.organization.id !== org.id) changes.push('organization');
    if (current.scsSubject !== scsSubject) changes.push(`SCS subject ${current.scsSubject} -> ${scsSubject}`);
    await recordAudit(tx, ctx, {
      action: 'cloud.update',
      targetType: 'cloud',
      targetId: c.slug,
      organizationId: c.organizationId,
      summary: `updated cloud ${c.slug}${changes.length ? ` (${changes.join(', ')})` : ''}`,
    });
    return view(c);
  });
}

export async function setCloudArchived(ctx: RequestContext, slug: string, archived: boolean): Promise<CloudView> {
  const current = await getCloud(ctx, slug);
  authorize(ctx.actor, 'cloud.archive', { type: 'cloud', organizationId: current.organization.id });
  return db.$transaction(async (tx) => {
    const c = await tx.cloud.update({
      where: { id: current.id },
      data: { archivedAt: archived ? clockNow() : null },
      include,
    });
    await recordAudit(tx, ctx, {
      action: archived ? 'cloud.archive' : 'cloud.unarchive',
      targetType: 'cloud',
      targetId: c.slug,
      organizationId: c.organizationId,
      summary: `${archived ? 'archived' : 'restored'} cloud ${c.slug}`,
    });
    return view(c);
  });
}

/** Staff decide whether a cloud's public status page shows its results' messages (default: no). Audited. */
export async function setPublicRunMessages(ctx: RequestContext, slug: string, shown: boolean): Promise<CloudView> {
  const current = await getCloud(ctx, slug);
  authorize(ctx.actor, 'cloud.update', { type: 'cloud', organizationId: current.organization.id });
  return db.$transaction(async (tx) => {
    const c = await tx.cloud.update({ where: { id: current.id }, data: { publicRunMessages: shown }, include });
    await recordAudit(tx, ctx, {
      action: 'cloud.update',
      targetType: 'cloud',
      targetId: c.slug,
      organizationId: c.organizationId,
      summary: `${shown ? 'showed' : 'hid'} the run messages of ${c.slug} on its public status page`,
    });
    return view(c);
  });
}
