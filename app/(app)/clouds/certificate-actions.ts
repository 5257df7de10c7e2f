'use server';
import { formAction } from '@/lib/next/action';
import { grantCertificate, revokeCertificate } from '@/lib/compliance';
import type { FormState } from '@/lib/next/form-state';

export async function grantCertificateAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const c = await grantCertificate(ctx, v.slug ?? '', { standard: v.standard || undefined });
      return { message: `Certificate granted, valid until ${c.validUntil.toISOString().slice(0, 10)}.` };
    },
    { revalidate: '/clouds' },
  );
}

export async function revokeCertificateAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      await revokeCertificate(ctx, v.id ?? '', { reason: v.reason });
      return { message: 'Certificate revoked; it is on the public revocation list.' };
    },
    { revalidate: '/clouds' },
  );
}
