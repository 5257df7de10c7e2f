import crypto from 'node:crypto';
import { z } from 'zod';
import { db, type Prisma } from '../db';
import { authorize, type Actor, type Role } from '../auth/policy';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/password';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { AppError, ConflictError, NotFoundError, ValidationError, parseInput } from '../errors';
import { pageArgs, toPage, type Page, type PageRequest } from '../pagination';
import { emailSchema, slugSchema } from '../validation';
import { now as clockNow } from '../clock';

export const ROLES: Role[] = ['admin', 'reviewer', 'csp'];
const roleSchema = z.enum(['admin', 'reviewer', 'csp'], { message: 'Choose admin, reviewer or csp.' });
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(200);

export const userInput = z.object({
  email: emailSchema,
  name: z.string().trim().max(200).optional().default(''),
  role: roleSchema,
  password: passwordSchema.optional(),
  /** Organization slugs, for csp users. */
  organizations: z.array(slugSchema).optional().default([]),
});

export const userUpdate = z.object({
  role: roleSchema.optional(),
  active: z.boolean().optional(),
  name: z.string().trim().max(200).optional(),
  organizations: z.array(slugSchema).optional(),
});

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  hasPassword: boolean;
  createdAt: Date;
  lastSignInAt: Date | null;
  organizations: { id: string; slug: string; name: string }[];
}

const include = {
  memberships: { include: { organization: { select: { id: true, slug: true, name: true } } } },
} as const;
type UserRow = Prisma.UserGetPayload<{ include: typeof include }>;

function view(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.active,
    hasPassword: !!u.passwordHash,
    createdAt: u.createdAt,
    lastSignInAt: u.lastSignInAt,
    organizations: u.memberships.map((m) => m.organization),
  };
}

/**
 * The actor a session or token acts as, fresh from the database on every request, or null when
 * inactive, or (for a session cookie) when the cookie's session version is not the user's: the user
 * signed out or was deactivated since the cookie was issued.
 */
export async function loadActor(userId: string, session?: { sessionVersion: number }): Promise<Actor | null> {
  if (!z.uuid().safeParse(userId).success) return null;
  const u = await db.user.findUnique({
    where: { id: userId },
    include: { memberships: { select: { organizationId: true } } },
  });
  if (!u || !u.active) return null;
  if (session && session.sessionVersion !== u.sessionVersion) return null;
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organizationIds: u.memberships.map((m) => m.organizationId),
  };
}

export async function listUsers(
  ctx: RequestContext,
  req: PageRequest & { q?: string; role?: Role } = {},
): Promise<Page<UserView>> {
  authorize(ctx.actor, 'user.list', { type: 'global' });
  const where: Prisma.UserWhereInput = {
    ...(req.role ? { role: req.role } : {}),
    ...(req.q
      ? {
          OR: [{ email: { contains: req.q, mode: 'insensitive' } }, { name: { contains: req.q, mode: 'insensitive' } }],
        }
      : {}),
  };
  const { skip, take, page, pageSize } = pageArgs(req);
  const [rows, total] = await Promise.all([
    db.user.findMany({ where, orderBy: { email: 'asc' }, skip, take, include }),
    db.user.count({ where }),
  ]);
  return toPage(rows.map(view), total, page, pageSize);
}

export async function getUser(ctx: RequestContext, id: string): Promise<UserView> {
  authorize(ctx.actor, 'user.read', { type: 'user', id });
  const u = z.string().uuid().safeParse(id).success ? await db.user.findUnique({ where: { id }, include }) : null;
  if (!u) throw new NotFoundError('User');
  return view(u);
}

async function organizationIdsBySlug(tx: Prisma.TransactionClient, slugs: string[]): Promise<string[]> {
  if (!slugs.length) return [];
  const orgs = await tx.organization.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } });
  const missing = slugs.filter((s) => !orgs.some((o) => o.slug === s));
  if (missing.length) throw new ValidationError({ organizations: `No such organization: ${missing.join(', ')}.` });
  return orgs.map((o) => o.id);
}

// User administration events are filed under no organization (so only staff read them): a
// user may belong to several organizations, and one organization's members must not learn
// about the others.
export async function createUser(ctx: RequestContext, input: unknown): Promise<UserView> {
  authorize(ctx.actor, 'user.create', { type: 'global' });
  const data = parseInput(userInput, input);
  const passwordHash = data.password ? await hashPassword(data.password) : null;
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email } }))
      throw new ConflictError(`A user with email ${data.email} exists already.`, { email: 'This email is taken.' });
    const orgIds = await organizationIdsBySlug(tx, data.organizations);
    const u = await tx.user.create({
      data: {
        email: data.email,
        name: data.name,
        role: data.role,
        passwordHash,
        memberships: { create: orgIds.map((organizationId) => ({ organizationId })) },
      },
      include,
    });
    await recordAudit(tx, ctx, {
      action: 'user.create',
      targetType: 'user',
      targetId: u.email,
      organizationId: null,
      summary: `created ${u.role} user ${u.email}${data.organizations.length ? ` in ${data.organizations.join(', ')}` : ''}`,
    });
    return view(u);
  });
}

export async function updateUser(ctx: RequestContext, id: string, input: unknown): Promise<UserView> {
  const current = await getUser(ctx, id);
  authorize(ctx.actor, 'user.update', { type: 'user', id });
  const data = parseInput(userUpdate, input);
  if (ctx.actor!.id === id && (data.active === false || (data.role && data.role !== 'admin'))) {
    throw new AppError('self_lockout', 'You cannot deactivate yourself or remove your own admin role.', 409);
  }
  return db.$transaction(async (tx) => {
    const orgIds = data.organizations ? await organizationIdsBySlug(tx, data.organizations) : null;
    const u = await tx.user.update({
      where: { id },
      data: {
        ...(data.role ? { role: data.role } : {}),
        ...(data.active !== undefined ? { active: data.active } : {}),
        // Deactivation ends the user's sessions for good: a later reactivation does not revive them.
        ...(data.active === false && current.active ? { sessionVersion: { increment: 1 } } : {}),
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(orgIds
          ? { memberships: { deleteMany: {}, create: orgIds.map((organizationId) => ({ organizationId })) } }
          : {}),
      },
      include,
    });
    const parts: string[] = [];
    if (data.role && data.role !== current.role) parts.push(`role ${current.role} -> ${data.role}`);
    if (data.active !== undefined && data.active !== current.active)
      parts.push(data.active ? 'reactivated' : 'deactivated');
    if (orgIds) parts.push(`organizations: ${data.organizations!.join(', ') || 'none'}`);
    if (data.name !== undefined && data.name !== current.name) parts.push('name');
    await recordAudit(tx, ctx, {
      action: 'user.update',
      targetType: 'user',
      targetId: u.email,
      organizationId: null,
      summary: `updated user ${u.email}: ${parts.join('; ') || 'no change'}`,
    });
    return view(u);
  });
}

// ---------------------------------------------------------------- invitations

export const INVITATION_DAYS = 7;
export const invitationInput = z.object({ email: emailSchema, organization: slugSchema });
export const acceptInput = z.object({
  name: z.string().trim().min(1, 'Your name is required.').max(200),
  password: passwordSchema,
});

function sha256(v: string): string {
  return crypto.createHash('sha256').update(v).digest('hex');
}

export interface CreatedInvitation {
  id: string;
  email: string;
  organization: string;
  expiresAt: Date;
  token: string;
}

/** Invites a CSP user into an organization; the token is returned once (for the link) and stored hashed. */
export async function createInvitation(
  ctx: RequestContext,
  input: unknown,
  now = clockNow(),
): Promise<CreatedInvitation> {
  authorize(ctx.actor, 'invitation.create', { type: 'global' });
  const data = parseInput(invitationInput, input);
  const token = crypto.randomBytes(24).toString('base64url');
  return db.$transaction(async (tx) => {
    const org = await tx.organization.findUnique({ where: { slug: data.organization } });
    if (!org || org.archivedAt) throw new ValidationError({ organization: 'No such active organization.' });
    const existing = await tx.user.findUnique({ where: { email: data.email } });
    if (existing?.passwordHash)
      throw new ConflictError(`${data.email} has an account already; add the organization to that user instead.`, {
        email: 'This user exists already.',
      });
    const inv = await tx.invitation.create({
      data: {
        email: data.email,
        organizationId: org.id,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86400_000),
        createdById: ctx.actor?.id ?? null,
      },
    });
    await recordAudit(tx, ctx, {
      action: 'invitation.create',
      targetType: 'invitation',
      targetId: data.email,
      organizationId: org.id,
      summary: `invited ${data.email} into ${org.slug} (valid ${INVITATION_DAYS} days)`,
    });
    return { id: inv.id, email: inv.email, organization: org.slug, expiresAt: inv.expiresAt, token };
  });
}

export async function listInvitations(ctx: RequestContext) {
  authorize(ctx.actor, 'user.list', { type: 'global' });
  return db.invitation.findMany({
    where: { acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: 'desc' },
    take: 100,
    select: {
      id: true,
      email: true,
      expiresAt: true,
      createdAt: true,
      organization: { select: { slug: true, name: true } },
    },
  });
}

export async function revokeInvitation(ctx: RequestContext, id: string): Promise<void> {
  authorize(ctx.actor, 'invitation.revoke', { type: 'global' });
  await db.$transaction(async (tx) => {
    const inv = z.string().uuid().safeParse(id).success ? await tx.invitation.findUnique({ where: { id } }) : null;
    if (!inv || inv.acceptedAt || inv.revokedAt) throw new NotFoundError('Invitation');
    await tx.invitation.update({ where: { id }, data: { revokedAt: clockNow() } });
    await recordAudit(tx, ctx, {
      action: 'invitation.revoke',
      targetType: 'invitation',
      targetId: inv.email,
      organizationId: inv.organizationId,
      summary: `revoked the invitation of ${inv.email}`,
    });
  });
}

/** What the invitation page may show before the user accepts: nothing when the link is not valid. */
export async function findOpenInvitation(token: string, now = clockNow()) {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: sha256(token) },
    include: { organization: { select: { name: true, archivedAt: true } } },
  });
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now || inv.organization.archivedAt) return null;
  return { email: inv.email, organization: inv.organization.name, expiresAt: inv.expiresAt };
}

export async function acceptInvitation(
  ctx: RequestContext,
  token: string,
  input: unknown,
  now = clockNow(),
): Promise<{ email: string }> {
  const data = parseInput(acceptInput, input);
  const passwordHash = await hashPassword(data.password);
  return db.$transaction(async (tx) => {
    const inv = await tx.invitation.findUnique({
      where: { tokenHash: sha256(token) },
      include: { organization: { select: { archivedAt: true } } },
    });
    // The same rule as findOpenInvitation: an archived organization's invitations stop working.
    if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now || inv.organization.archivedAt) {
      throw new AppError(
        'invitation_invalid',
        'This invitation link is no longer valid; ask an administrator for a new one.',
        410,
      );
    }
    // Conditional update: two tabs accepting at once cannot both succeed.
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null },
      data: { acceptedAt: now },
    });
    if (claimed.count !== 1) throw new AppError('invitation_invalid', 'This invitation has been used already.', 410);
    const user = await tx.user.upsert({
      where: { email: inv.email },
      create: { email: inv.email, name: data.name, role: 'csp', passwordHash },
      update: { name: data.name, passwordHash },
    });
    await tx.membership.upsert({
      where: { userId_organizationId: { userId: user.id, organizationId: inv.organizationId } },
      create: { userId: user.id, organizationId: inv.organizationId },
      update: {},
    });
    await recordAudit(
      tx,
      {
        ...ctx,
        actor: {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          organizationIds: [inv.organizationId],
        },
      },
      {
        action: 'invitation.accept',
        targetType: 'user',
        targetId: user.email,
        organizationId: inv.organizationId,
        summary: `${user.email} accepted the invitation and set a password`,
      },
    );
    return { email: user.email };
  });
}

// ---------------------------------------------------------------- first admin

/**
 * Makes sure an admin can sign in: ADMIN_EMAIL/ADMIN_PASSWORD when given, else on the very
 * first start an admin with a generated password (returned so the caller prints it once).
 */
export async function ensureAdmin(opts: {
  email?: string;
  password?: string;
  generate: () => string;
}): Promise<{ email: string; generatedPassword?: string; created: boolean }> {
  const ctx: RequestContext = { actor: null, clientAddress: null, via: 'startup' };
  const email = (opts.email || 'admin@localhost').trim().toLowerCase();
  const existing = await db.user.findUnique({ where: { email } });
  if (existing) return { email, created: false };
  if (!opts.email && (await db.user.count({ where: { role: 'admin' } })) > 0) {
    const admin = await db.user.findFirst({ where: { role: 'admin' }, orderBy: { createdAt: 'asc' } });
    return { email: admin!.email, created: false };
  }
  const password = opts.password || opts.generate();
  if (opts.password) parseInput(z.object({ password: passwordSchema }), { password });
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    const u = await tx.user.create({ data: { email, name: 'Administrator', role: 'admin', passwordHash } });
    await recordAudit(tx, ctx, {
      action: 'user.create',
      targetType: 'user',
      targetId: u.email,
      summary: `created the first admin ${u.email} at start-up`,
    });
  });
  return { email, created: true, generatedPassword: opts.password ? undefined : password };
}
