'use server';
import { headers } from 'next/headers';
import { formAction } from '@/lib/next/action';
import type { FormState } from '@/lib/next/form-state';
import {
  createAttestation,
  removeAttestationFile,
  reviewAttestation,
  submitAttestation,
  updateAttestation,
} from '@/lib/attestations';
import { FIELDS } from '@/lib/attestations/statement';
import { ValidationError } from '@/lib/errors';

// Every action names its target in form fields: `slug` (the cloud) or `id` (the revision); the
// lib function loads it and asks the policy, so a crafted call gets the same refusal as the UI.

function statementFields(v: Record<string, string>): Record<string, string> {
  return Object.fromEntries(FIELDS.filter((k) => k in v).map((k) => [k, v[k]]));
}

export async function createAttestationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    const a = await createAttestation(ctx, v.slug ?? '');
    return { redirect: `/attestations/${a.id}` };
  });
}

export async function saveAttestationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(fd, async (ctx, v) => {
    await updateAttestation(ctx, v.id ?? '', statementFields(v));
    return { message: 'Draft saved.' };
  });
}

/**
 * Sign and submit. A statement that is not complete yet opens the page with the problems listed at
 * the top and beside their questions (the signature's own errors stay in its form).
 */
export async function submitAttestationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const id = v.id ?? '';
      const userAgent = (await headers()).get('user-agent');
      try {
        await submitAttestation(ctx, id, { confirm: v.confirm, signerName: v.signerName }, { userAgent });
      } catch (err) {
        const fields = err instanceof ValidationError ? Object.keys(err.fields ?? {}) : [];
        if (fields.some((k) => k !== 'confirm' && k !== 'signerName'))
          return { redirect: `/attestations/${encodeURIComponent(id)}?check=1#problems` };
        throw err;
      }
      return { redirect: `/attestations/${encodeURIComponent(id)}?submitted=1` };
    },
    { revalidate: '/attestations' },
  );
}

export async function reviewAttestationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const a = await reviewAttestation(ctx, v.id ?? '', { decision: v.decision, comment: v.comment });
      return { redirect: `/attestations/${a.id}` };
    },
    { revalidate: '/attestations' },
  );
}

export async function removeAttestationFileAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      await removeAttestationFile(ctx, v.id ?? '', v.fileId ?? '');
      return { message: 'File removed.' };
    },
    { revalidate: '/attestations' },
  );
}
