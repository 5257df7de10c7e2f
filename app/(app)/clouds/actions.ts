'use server';
import { formAction } from '@/lib/next/action';
import { createCloud, setCloudArchived, updateCloud } from '@/lib/clouds';
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
