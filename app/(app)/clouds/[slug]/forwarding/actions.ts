'use server';
import { formAction } from '@/lib/next/action';
import type { FormState } from '@/lib/next/form-state';
import { removeForwarding, retryDelivery, setForwarding } from '@/lib/interop/forwarding';

export async function setForwardingAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('slug') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      // The key travels as apiKeySecret so that a refused form never echoes it back.
      await setForwarding(ctx, v.slug ?? '', {
        url: v.url,
        account: v.account,
        apiKey: v.apiKeySecret,
        enabled: v.enabled,
      });
      return { message: 'Forwarding saved.' };
    },
    { revalidate: `/clouds/${slug}/forwarding` },
  );
}

export async function removeForwardingAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    await removeForwarding(ctx, v.slug ?? '');
    return { redirect: `/clouds/${v.slug}/forwarding` };
  });
}

export async function retryDeliveryAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('slug') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      await retryDelivery(ctx, v.id ?? '');
      return { message: 'Sent again.' };
    },
    { revalidate: slug ? `/clouds/${slug}/forwarding` : '/admin/forwarding' },
  );
}
