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

export async function submitAttestationAction(_prev: FormState, fd: FormData): Promise<FormState> {
  return formAction(
    fd,
    async (ctx, v) => {
      const userAgent = (await headers()).get('user-agent');
      const s = await submitAttestation(
        ctx,
        v.id ?? '',
        { confirm: v.confirm, signerName: v.signerName },
        { userAgent },
      );
      return { message: `Submitted for review. Submission digest (SHA-256): ${s.digest}` };
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
