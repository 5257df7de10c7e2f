'use server';
import { formAction } from '@/lib/next/action';
import { deleteCredential, setCredential, testConnection, PERSONA_LABEL, type PersonaSlug } from '@/lib/credentials';
import type { FormState } from '@/lib/next/form-state';
import { plural } from '@/lib/format';

// Every action names its cloud by the form field `slug`; lib/credentials asks the policy.

/**
 * Save & test: the credential is stored, then tested at once (as Grafana's data sources do), and
 * the page opens at its card, where the test's result and every warning are shown before any run.
 */
export async function setCredentialAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('slug') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      const c = await setCredential(ctx, v.slug ?? '', v);
      await testConnection(ctx, v.slug ?? '', c.persona);
      return { redirect: `/clouds/${encodeURIComponent(v.slug ?? '')}/credential?saved=${c.persona}#${c.persona}` };
    },
    { revalidate: `/clouds/${slug}/credential` },
  );
}

export async function deleteCredentialAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('slug') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      await deleteCredential(ctx, v.slug ?? '', v.persona || 'primary');
      return { message: `Deleted the ${PERSONA_LABEL[(v.persona || 'primary') as PersonaSlug] ?? 'credential'}.` };
    },
    { revalidate: `/clouds/${slug}/credential` },
  );
}

export async function testCredentialAction(_prev: FormState, fd: FormData): Promise<FormState> {
  const slug = String(fd.get('slug') ?? '');
  return formAction(
    fd,
    async (ctx, v) => {
      const r = await testConnection(ctx, v.slug ?? '', v.persona || 'primary');
      if (!r.ok) return { message: `Connection test failed: ${r.error ?? 'unknown error'}` };
      return {
        message: `Authenticated in ${r.durationMs} ms${r.warnings.length ? ` with ${plural(r.warnings.length, 'warning')}` : ''}; details below.`,
      };
    },
    { revalidate: `/clouds/${slug}/credential` },
  );
}
