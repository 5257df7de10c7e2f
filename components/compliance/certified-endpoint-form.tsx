'use client';
import { useActionState } from 'react';
import type { FormState } from '@/lib/next/form-state';
import { CheckboxField, Field, FormMessage } from '@/components/ui/form';
import { SubmitButton } from '@/components/ui/button';
import { ConfirmForm } from '@/components/ui/confirm-form';

type Action = (s: FormState, fd: FormData) => Promise<FormState>;

/**
 * Staff pin the certified endpoint of a cloud: the Keystone auth URL and region its runs must use to
 * count toward verdicts and certificates. CSP users see it on the credential page, not here.
 */
export function CertifiedEndpointForm({
  slug,
  pinned,
  defaultRegion,
  pin,
  unpin,
}: {
  slug: string;
  pinned: { authUrl: string; region: string; pinnedAt: string | null; pinnedBy: string | null } | null;
  defaultRegion: string;
  pin: Action;
  unpin: Action;
}) {
  const [state, formAction] = useActionState(pin, {});
  return (
    <div className="space-y-3" data-testid="certified-endpoint">
      <p className="text-sm text-slate-700">
        {pinned ? (
          <>
            Pinned to <code data-testid="pinned-endpoint">{pinned.authUrl}</code> (region {pinned.region})
            {pinned.pinnedBy && ` by ${pinned.pinnedBy}`}. Only runs whose credential names this endpoint count; a
            credential for another endpoint cannot be saved.
          </>
        ) : (
          <>Not pinned: runs count whatever Keystone they name. Pin the endpoint before certifying.</>
        )}
      </p>
      <form action={formAction} className="max-w-2xl space-y-3" noValidate>
        <FormMessage state={state} />
        <input type="hidden" name="slug" value={slug} />
        <Field
          name="authUrl"
          label="Keystone auth URL"
          required
          state={state}
          defaultValue={pinned?.authUrl}
          placeholder="https://keystone.example.com:5000/v3"
          hint="Compared without a trailing slash, a /v3 suffix or a default port; host names in any case."
        />
        <Field name="region" label="Region" required state={state} defaultValue={pinned?.region ?? defaultRegion} />
        <SubmitButton pendingText="Pinning…">{pinned ? 'Change the pin' : 'Pin the certified endpoint'}</SubmitButton>
      </form>
      {pinned && (
        <ConfirmForm
          action={unpin}
          fields={{ slug }}
          label="Remove the pin"
          variant="secondary"
          title="Remove the certified endpoint?"
          body="Every run counts again, whatever Keystone its credential names. The change is audited."
        />
      )}
    </div>
  );
}

export function PublicMessagesForm({ slug, shown, action }: { slug: string; shown: boolean; action: Action }) {
  const [state, formAction] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-3" noValidate data-testid="public-messages">
      <FormMessage state={state} />
      <input type="hidden" name="slug" value={slug} />
      <CheckboxField
        name="publicRunMessages"
        label="Show result messages on the public status page"
        state={state}
        defaultChecked={shown}
        hint="Off: the public page shows verdicts only. Messages may name endpoints or resources of the cloud."
      />
      <SubmitButton variant="secondary" pendingText="Saving…">
        Save
      </SubmitButton>
    </form>
  );
}
