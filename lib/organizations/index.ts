import { z } from 'zod';
import { db, type Organization } from '../db';
import { authorize, visibleOrganizationIds } from '../auth/policy';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { ConflictError, NotFoundError, parseInput } from '../errors';
import { pageArgs, toPage, type Page, type PageRequest } from '../pagination';
import { emailListSchema, slugSchema } from '../validation';
import { now as clockNow } from '../clock';

export const organizationInput = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1, 'Name is required.').max(200),
  contactEmails: emailListSchema.optional(),
});
export const organizationUpdate = organizationInput.omit({ slug: true });

export type OrganizationView = Pick<
  Organization,
  'id' | 'slug' | 'name' | 'contactEmails' | 'archivedAt' | 'createdAt'
> & { cloudCount: number };

function view(o: Organization & { _count: { clouds: number } }): OrganizationView {
  return {
    id: o.id,
    slug: o.slug,
    name: o.name,
    contactEmails: o.contactEmails,
    archivedAt: o.archivedAt,
    createdAt: o.createdAt,
    cloudCount: o._count.clouds,
  };
}

export async function listOrganizations(
  ctx: RequestContext,
  req: PageRequest & { q?: string; archived?: boolean } = {},
): Promise<Page<OrganizationView>> {
  authorize(ctx.actor, 'organization.list', { type: 'global' });
  const ids = visibleOrganizationIds(ctx.actor);
  const where = {
    ...(ids ? { id: { in: ids } } : {}),
    ...(req.archived ? {} : { archivedAt: null }),
    ...(req.q
      ? {
          OR: [
            { slug: { contains: req.q, mode: 'insensitive' as const } },
            { name: { contains: req.q, mode: 'insensitive' as const } },
          ],
        }
      : {}),
  };
  const { skip, take, page, pageSize } = pageArgs(req);
  const [rows, total] = await Promise.all([
    db.organization.findMany({
      where,
      orderBy: { name: 'asc' },
      skip,
      take,
      include: { _count: { select: { clouds: true } } },
    }),
    db.organization.count({ where }),
  ]);
  return toPage(rows.map(view), total, page, pageSize);
}

/** Every organization the actor sees, for pickers (small: one row per CSP). */
export async function organizationChoices(ctx: RequestContext): Promise<Pick<Organization, 'id' | 'slug' | 'name'>[]> {
  authorize(ctx.actor, 'organization.list', { type: 'global' });
  const ids = visibleOrganizationIds(ctx.actor);
  return db.organization.findMany({
    where: { archivedAt: null, ...(ids ? { id: { in: ids } } : {}) },
    select: { id: true, slug: true, name: true },
    orderBy: { name: 'asc' },
  });
}

export async function getOrganization(ctx: RequestContext, slug: string): Promise<OrganizationView> {
  const o = await db.organization.findUnique({ where: { slug }, include: { _count: { select: { clouds: true } } } });
  // Unknown and invisible look the same: the policy answers "hidden" for both.
  authorize(ctx.actor, 'organization.read', {
    type: 'organization',
    id: o?.id ?? '00000000-0000-0000-0000-000000000000',
  });
  if (!o) throw new NotFoundError('Organization');
  return view(o);
}

export async function createOrganization(ctx: RequestContext, input: unknown): Promise<OrganizationView> {
  authorize(ctx.actor, 'organization.create', { type: 'global' });
  const data = parseInput(organizationInput, input);
  return db.$transaction(async (tx) => {
    if (await tx.organization.findUnique({ where: { slug: data.slug } })) {
      throw new ConflictError(`An organization with slug "${data.slug}" exists already.`, {
        slug: 'This slug is taken.',
      });
    }
    const o = await tx.organization.create({
      data: { slug: data.slug, name: data.name, contactEmails: data.contactEmails ?? [] },
      include: { _count: { select: { clouds: true } } },
    });
    await recordAudit(tx, ctx, {
      action: 'organization.create',
      targetType: 'organization',
      targetId: o.slug,
      organizationId: o.id,
      summary: `created organization ${o.name} (${o.slug})`,
    });
    return view(o);
  });
}

export async function updateOrganization(ctx: RequestContext, slug: string, input: unknown): Promise<OrganizationView> {
  const current = await getOrganization(ctx, slug);
  authorize(ctx.actor, 'organization.update', { type: 'organization', id: current.id });
  const data = parseInput(organizationUpdate, input);
  return db.$transaction(async (tx) => {
    const o = await tx.organization.update({
      where: { id: current.id },
      data: { name: data.name, contactEmails: data.contactEmails ?? [] },
      include: { _count: { select: { clouds: true } } },
    });
    await recordAudit(tx, ctx, {
      action: 'organization.update',
      targetType: 'organization',
      targetId: o.slug,
      organizationId: o.id,
      summary: `updated organization ${o.slug}`,
    });
    return view(o);
  });
}

/** Archive instead of delete: clouds, runs and audit history keep pointing at it. */
export async function setOrganizationArchived(
  ctx: RequestContext,
  slug: string,
  archived: boolean,
): Promise<OrganizationView> {
  const current = await getOrganization(ctx, slug);
  authorize(ctx.actor, 'organization.archive', { type: 'organization', id: current.id });
  return db.$transaction(async (tx) => {
    const o = await tx.organization.update({
      where: { id: current.id },
      data: { archivedAt: archived ? clockNow() : null },
      include: { _count: { select: { clouds: true } } },
    });
    await recordAudit(tx, ctx, {
      action: archived ? 'organization.archive' : 'organization.unarchive',
      targetType: 'organization',
      targetId: o.slug,
      organizationId: o.id,
      summary: `${archived ? 'archived' : 'restored'} organization ${o.slug}`,
    });
    return view(o);
  });
}

export interface OrganizationMemberView {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
  lastSignInAt: Date | null;
}

/**
 * The users who belong to an organization. Shown to those who may manage the organization
 * (staff): the policy has no separate "see members" action, so managing the organization is
 * what grants it; a member who may only read the organization is refused.
 */
export async function listOrganizationMembers(ctx: RequestContext, slug: string): Promise<OrganizationMemberView[]> {
  const org = await getOrganization(ctx, slug);
  authorize(ctx.actor, 'organization.update', { type: 'organization', id: org.id });
  const rows = await db.membership.findMany({
    where: { organizationId: org.id },
    include: { user: { select: { id: true, email: true, name: true, role: true, active: true, lastSignInAt: true } } },
    orderBy: { user: { email: 'asc' } },
  });
  return rows.map((m) => m.user);
}
