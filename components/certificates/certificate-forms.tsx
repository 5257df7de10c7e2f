'use client';
import type { FormState } from '@/lib/next/form-state';
import { ConfirmForm } from '@/components/ui/confirm-form';

type Action = (s: FormState, fd: FormData) => Promise<FormState>;

/** Granting is published (status page, badge, API): the dialog says where, and asks for the cloud's slug. */
export function GrantCertificateForm({
  action,
  slug,
  name,
  isPublic,
  validUntil,
}: {
  action: Action;
  slug: string;
  name: string;
  isPublic: boolean;
  /** "2027-05-01": one year from now. */
  validUntil: string;
}) {
  return (
    <ConfirmForm
      action={action}
      fields={{ slug, standard: 'scs-0116-v1' }}
      label="Grant certificate (one year)"
      title={`Grant ${name} a certificate for scs-0116 v1?`}
      word={slug}
      confirmLabel="Grant and publish"
      variant="primary"
      testId="grant-certificate"
      body={
        <>
          <p>
            The certificate is valid until <strong>{validUntil}</strong> unless it is revoked. This is published:
          </p>
          <ul className="list-disc pl-5">
            {isPublic ? (
              <>
                <li>
                  the public status page <code>/status/{slug}</code> shows it as certified, with its validity;
                </li>
                <li>
                  the badge <code>/badge/{slug}.svg</code> says “certified”;
                </li>
              </>
            ) : (
              <li>the cloud is not publicly listed: no public page or badge shows it until staff list it;</li>
            )}
            <li>the API and the signed-in pages show it; the grant is recorded in the audit log.</li>
          </ul>
        </>
      }
    />
  );
}

/** Revoking needs a reason, which the public revocation list shows; the dialog asks for the cloud's slug. */
export function RevokeCertificateForm({
  action,
  id,
  slug,
  name,
  isPublic,
}: {
  action: Action;
  id: string;
  slug: string;
  name: string;
  isPublic: boolean;
}) {
  return (
    <ConfirmForm
      action={action}
      fields={{ id, slug }}
      label="Revoke certificate"
      title={`Revoke the certificate of ${name}?`}
      word={slug}
      confirmLabel="Revoke and publish"
      testId="revoke-form"
      body={
        <>
          <p>The certificate ends at once and cannot be restored; a new one needs a new grant. This is published:</p>
          <ul className="list-disc pl-5">
            <li>
              the public revocation list <code>/certificates/revoked</code> shows the revocation with its date and the
              reason below{isPublic ? ', naming the cloud' : ' (without the cloud’s name: it is not publicly listed)'};
            </li>
            {isPublic && (
              <li>
                the status page and the badge <code>/badge/{slug}.svg</code> no longer say “certified”.
              </li>
            )}
          </ul>
        </>
      }
    >
      <label className="block text-sm font-medium text-slate-800">
        Reason for revoking (published)
        <textarea
          name="reason"
          required
          minLength={5}
          maxLength={500}
          rows={3}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 font-normal"
        />
      </label>
    </ConfirmForm>
  );
}
