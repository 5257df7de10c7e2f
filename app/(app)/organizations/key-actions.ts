'use server';
import { formAction } from '@/lib/next/action';
import type { FormState } from '@/lib/next/form-state';
import { addKey, approveKey, deleteKey, withdrawKeyApproval } from '@/lib/interop/keys';

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
      return { message: 'Key removed; the runs it signed are kept and do not count.' };
    },
    { revalidate: `/organizations/${slug}` },
  );
}

export async function approveKeyAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('organization') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      const k = await approveKey(ctx, v.organization ?? '', v.name ?? '');
      return { message: `Key "${k.name}" approved: the reports it signed count.` };
    },
    { revalidate: `/organizations/${slug}` },
  );
}

export async function withdrawKeyApprovalAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('organization') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      const k = await withdrawKeyApproval(ctx, v.organization ?? '', v.name ?? '');
      return { message: `Approval of "${k.name}" withdrawn: the runs it signed are kept and no longer count.` };
    },
    { revalidate: `/organizations/${slug}` },
  );
}
