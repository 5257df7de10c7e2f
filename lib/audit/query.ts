import { z } from 'zod';
import { db, type Prisma } from '../db';
import { authorize, decide } from '../auth/policy';
import type { RequestContext } from '../context';
import { parseInput } from '../errors';
import { pageArgs, toPage, type Page } from '../pagination';
import { loadFor } from '../resources';

export const AUDIT_PAGE_SIZE = 50;

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-01-31.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Not a valid date.');
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((s) => s || undefined);

export const auditFilterSchema = z.object({
  /** Exact action ("cloud.create") or its prefix ("cloud", "cloud."). */
  action: text(100),
  /** Part of the actor's email (or label, e.g. "admin-cli"). */
  actor: text(254),
  /** Part of the target's id (slug, email, token prefix) or its type. */
  target: text(200),
  /** The organization's slug. */
  organization: text(63),
  /** Inclusive UTC days. */
  from: day.optional().or(z.literal('').transform(() => undefined)),
  to: day.optional().or(z.literal('').transform(() => undefined)),
  page: z.union([z.string(), z.number()]).optional(),
});
export type AuditFilters = z.input<typeof auditFilterSchema>;

export interface AuditEventView {
  id: string;
  at: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  organization: { slug: string; name: string } | null;
  clientAddress: string | null;
  summary: string;
}

/**
 * The audit log as the actor may see it, newest first. Staff (whom the policy lets read the
 * whole log) see every event; anyone else sees only the events of the organizations the policy
 * lets them read, so an event with no organization is staff-only. An organization filter is
 * authorized for that organization (unknown and invisible both give "hidden").
 */
export async function listAuditEvents(ctx: RequestContext, filters: AuditFilters = {}): Promise<Page<AuditEventView>> {
  if (!ctx.actor) authorize(ctx.actor, 'audit.read', { type: 'global' }); // throws "unauthenticated"
  const actor = ctx.actor!;
  const f = parseInput(auditFilterSchema, filters);

  let scope: Prisma.AuditEventWhereInput;
  if (f.organization) {
    const org = await loadFor(
      ctx,
      'audit.read',
      'Organization',
      db.organization.findUnique({ where: { slug: f.organization }, select: { id: true } }),
      (o) => ({ type: 'organization', id: o.id }),
    );
    scope = { organizationId: org.id };
  } else if (decide(actor, 'audit.read', { type: 'global' }) === 'allow') {
    scope = {};
  } else {
    const ids = actor.organizationIds.filter(
      (id) => decide(actor, 'audit.read', { type: 'organization', id }) === 'allow',
    );
    scope = { organizationId: { in: ids } };
  }

  const and: Prisma.AuditEventWhereInput[] = [scope];
  if (f.action)
    and.push(
      f.action.includes('.') && !f.action.endsWith('.')
        ? { action: f.action }
        : { action: { startsWith: f.action.replace(/\.?$/, '.') } },
    );
  if (f.actor) and.push({ actorLabel: { contains: f.actor, mode: 'insensitive' } });
  if (f.target)
    and.push({
      OR: [
        { targetId: { contains: f.target, mode: 'insensitive' } },
        { targetType: { equals: f.target, mode: 'insensitive' } },
      ],
    });
  if (f.from) and.push({ at: { gte: new Date(`${f.from}T00:00:00.000Z`) } });
  if (f.to) and.push({ at: { lt: new Date(Date.parse(`${f.to}T00:00:00.000Z`) + 86400_000) } });
  const where: Prisma.AuditEventWhereInput = { AND: and };

  const { skip, take, page, pageSize } = pageArgs({ page: f.page, pageSize: AUDIT_PAGE_SIZE }, AUDIT_PAGE_SIZE);
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({ where, orderBy: [{ at: 'desc' }, { id: 'desc' }], skip, take }),
    db.auditEvent.count({ where }),
  ]);
  const orgIds = [...new Set(rows.map((r) => r.organizationId).filter((id): id is string => !!id))];
  const orgs = orgIds.length
    ? await db.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, slug: true, name: true } })
    : [];
  const orgById = new Map(orgs.map((o) => [o.id, { slug: o.slug, name: o.name }]));
  return toPage(
    rows.map((r) => ({
      id: r.id.toString(),
      at: r.at,
      actor: r.actorLabel,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      organization: r.organizationId ? (orgById.get(r.organizationId) ?? null) : null,
      clientAddress: r.clientAddress,
      summary: r.summary,
    })),
    total,
    page,
    pageSize,
  );
}
