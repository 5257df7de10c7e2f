import type { Prisma } from '../db';
import type { Tx } from '../db';
import type { RequestContext } from '../context';

export interface AuditInput {
  action: string;
  targetType: string;
  targetId: string;
  organizationId?: string | null;
  summary: string;
}

/** Writes an audit event inside the caller's transaction, so the change and its record commit together. */
export async function recordAudit(tx: Tx, ctx: RequestContext, input: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: ctx.actor?.id || null,
      actorLabel: [ctx.actor?.email, ctx.via && `via ${ctx.via}`].filter(Boolean).join(' ') || 'system',
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      organizationId: input.organizationId ?? null,
      clientAddress: ctx.clientAddress,
      summary: input.summary,
    } satisfies Prisma.AuditEventUncheckedCreateInput,
  });
}
