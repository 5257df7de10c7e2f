'use server';
import { headers } from 'next/headers';
import { formAction } from '@/lib/next/action';
import { createInvitation, revokeInvitation } from '@/lib/users';
import type { FormState } from '@/lib/next/form-state';
import { formatDate } from '@/components/ui/layout';
import { config } from '@/lib/config';

/** PUBLIC_URL when configured; else the origin the admin reached us on (Host, X-Forwarded-Proto). */
async function requestOrigin(): Promise<string> {
  const publicUrl = config().PUBLIC_URL;
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const h = await headers();
  const host = h.get('host') ?? '127.0.0.1';
  const proto = h.get('x-forwarded-proto')?.split(',')[0]?.trim() || 'http';
  return `${proto === 'https' ? 'https' : 'http'}://${host}`;
}

export async function createInvitationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const inv = await createInvitation(ctx, { email: v.email, organization: v.organization });
      return {
        reveal: `${await requestOrigin()}/invite/${inv.token}`,
        message: `Invitation for ${inv.email} into ${inv.organization} created; valid until ${formatDate(inv.expiresAt)}.`,
      };
    },
    { revalidate: '/admin/invitations' },
  );
}

export async function revokeInvitationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      await revokeInvitation(ctx, v.id ?? '');
      return { message: 'Invitation revoked.' };
    },
    { revalidate: '/admin/invitations' },
  );
}
