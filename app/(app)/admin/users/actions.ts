'use server';
import { formAction } from '@/lib/next/action';
import { createUser, updateUser } from '@/lib/users';
import type { FormState } from '@/lib/next/form-state';

/** The ticked organization checkboxes (formValues joins repeated fields with commas). */
function slugs(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function createUserAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    const u = await createUser(ctx, {
      email: v.email,
      name: v.name,
      role: v.role,
      password: v.password || undefined,
      organizations: slugs(v.organizations),
    });
    return { redirect: `/admin/users/${u.id}` };
  });
}

export async function updateUserAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      // The form always shows every organization box, so none ticked means "no organizations".
      await updateUser(ctx, v.id ?? '', { name: v.name ?? '', role: v.role, organizations: slugs(v.organizations) });
      return { message: 'Saved.' };
    },
    { revalidate: '/admin/users' },
  );
}

export async function setUserActiveAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const u = await updateUser(ctx, v.id ?? '', { active: v.active === 'true' });
      return {
        message: u.active
          ? 'User reactivated.'
          : 'User deactivated: their sessions and API tokens stop working at their next request.',
      };
    },
    { revalidate: '/admin/users' },
  );
}
