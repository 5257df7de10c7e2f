'use server';
import { formAction } from '@/lib/next/action';
import { createWebhook, deleteWebhook, setPreferences } from '@/lib/notify';
import type { FormState } from '@/lib/next/form-state';

/** The caller's own e-mail preferences. */
export async function savePreferencesAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      await setPreferences(ctx, v);
      return { message: 'Preferences saved.' };
    },
    { revalidate: '/settings/notifications' },
  );
}

export async function createWebhookAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const { secret } = await createWebhook(ctx, v);
      return {
        reveal: secret,
        message:
          'Webhook added. Its signing secret is shown once. Deliveries are signed as Standard Webhooks: webhook-signature is "v1," and the base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>", keyed with the bytes of the base64 after "whsec_" (any Standard Webhooks library verifies it).',
      };
    },
    { revalidate: '/settings/notifications' },
  );
}

export async function deleteWebhookAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      await deleteWebhook(ctx, v.id ?? '');
      return { message: 'Webhook removed.' };
    },
    { revalidate: '/settings/notifications' },
  );
}
