'use server';
import { formAction } from '@/lib/next/action';
import { authorize } from '@/lib/auth/policy';
import { getCloud } from '@/lib/clouds';
import { grantCertificate, revokeCertificate } from '@/lib/compliance';
import { ValidationError } from '@/lib/errors';
import { formatDay } from '@/lib/format';
import type { FormState } from '@/lib/next/form-state';
import type { RequestContext } from '@/lib/context';

/**
 * Both actions are published, so the person typed the cloud's slug in the confirmation dialog; it is
 * checked here too, after the policy (a refused caller learns nothing from the typed word).
 */
async function confirmedCloud(
  ctx: RequestContext,
  v: Record<string, string>,
  action: 'certificate.grant' | 'certificate.revoke',
) {
  const cloud = await getCloud(ctx, v.slug ?? '');
  authorize(ctx.actor, action, { type: 'cloud', organizationId: cloud.organization.id });
  if ((v.confirmSlug ?? '').trim() !== cloud.slug)
    throw new ValidationError(
      { confirmSlug: `Type the cloud's slug, ${cloud.slug}, to confirm.` },
      `Not done: type the cloud's slug, ${cloud.slug}, to confirm.`,
    );
  return cloud;
}

export async function grantCertificateAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const cloud = await confirmedCloud(ctx, v, 'certificate.grant');
      const c = await grantCertificate(ctx, cloud.slug, { standard: v.standard || undefined });
      return { message: `Certificate granted and published, valid until ${formatDay(c.validUntil)}.` };
    },
    { revalidate: '/clouds' },
  );
}

export async function revokeCertificateAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      await confirmedCloud(ctx, v, 'certificate.revoke');
      await revokeCertificate(ctx, v.id ?? '', { reason: v.reason });
      return { message: 'Certificate revoked; it is on the public revocation list.' };
    },
    { revalidate: '/clouds' },
  );
}
