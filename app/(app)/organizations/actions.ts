'use server';
import { formAction } from '@/lib/next/action';
import { createOrganization, setOrganizationArchived, updateOrganization } from '@/lib/organizations';
import type { FormState } from '@/lib/next/form-state';

export async function createOrganizationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    const o = await createOrganization(ctx, { slug: v.slug, name: v.name, contactEmails: v.contactEmails });
    return { redirect: `/organizations/${o.slug}` };
  });
}

export async function updateOrganizationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    const o = await updateOrganization(ctx, v.slug ?? '', { name: v.name, contactEmails: v.contactEmails });
    return { redirect: `/organizations/${o.slug}` };
  });
}

export async function archiveOrganizationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const o = await setOrganizationArchived(ctx, v.slug ?? '', v.archive !== 'false');
      return { message: o.archivedAt ? 'Organization archived.' : 'Organization restored.' };
    },
    { revalidate: '/organizations' },
  );
}
