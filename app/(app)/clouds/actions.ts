'use server';
import { formAction } from '@/lib/next/action';
import { createCloud, setCloudArchived, setPublicRunMessages, updateCloud } from '@/lib/clouds';
import { removeCertifiedEndpoint, setCertifiedEndpoint } from '@/lib/compliance/certified-endpoint';
import type { FormState } from '@/lib/next/form-state';

export async function createCloudAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    const c = await createCloud(ctx, { ...v, contactEmails: v.contactEmails, public: v.public });
    return { redirect: `/clouds/${c.slug}` };
  });
}

export async function updateCloudAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    const c = await updateCloud(ctx, v.slug ?? '', v);
    return { redirect: `/clouds/${c.slug}` };
  });
}

export async function archiveCloudAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const c = await setCloudArchived(ctx, v.slug ?? '', v.archive !== 'false');
      return { message: c.archivedAt ? 'Cloud archived.' : 'Cloud restored.' };
    },
    { revalidate: '/clouds' },
  );
}

/** Staff pin the certified endpoint (Keystone auth URL and region) of a cloud. */
export async function pinCloudAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const p = await setCertifiedEndpoint(ctx, v.slug ?? '', { authUrl: v.authUrl, region: v.region });
      return { message: `Certified endpoint pinned: ${p.authUrl} (region ${p.region}).` };
    },
    { revalidate: '/clouds' },
  );
}

export async function unpinCloudAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      await removeCertifiedEndpoint(ctx, v.slug ?? '');
      return { message: 'The pin was removed: runs count again whatever endpoint they name.' };
    },
    { revalidate: '/clouds' },
  );
}

export async function publicRunMessagesAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const c = await setPublicRunMessages(ctx, v.slug ?? '', v.publicRunMessages === 'on');
      return {
        message: c.publicRunMessages
          ? 'The public status page shows result messages.'
          : 'The public status page shows verdicts only, no messages.',
      };
    },
    { revalidate: '/clouds' },
  );
}
