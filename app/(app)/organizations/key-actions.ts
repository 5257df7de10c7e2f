'use server';
import { formAction } from '@/lib/next/action';
import type { FormState } from '@/lib/next/form-state';
import { addKey, deleteKey } from '@/lib/interop/keys';

export async function addKeyAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('organization') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      const k = await addKey(ctx, v.organization ?? '', { name: v.name, publicKey: v.publicKey ?? '' });
      return { message: `Key "${k.name}" registered.` };
    },
    { revalidate: `/organizations/${slug}` },
  );
}

export async function deleteKeyAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('organization') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      await deleteKey(ctx, v.organization ?? '', v.name ?? '');
      return { message: 'Key removed.' };
    },
    { revalidate: `/organizations/${slug}` },
  );
}
