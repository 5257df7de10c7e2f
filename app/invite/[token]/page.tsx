import type { Metadata } from 'next';
import Link from 'next/link';
import { findOpenInvitation } from '@/lib/users';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { formatDate } from '@/components/ui/layout';
import { AcceptInvitationForm } from '@/components/invitations/accept-form';
import { acceptInvitationAction } from './actions';

export const metadata: Metadata = { title: 'Accept invitation', referrer: 'no-referrer', robots: { index: false } };

/** Public by design: the token in the URL is the credential (see ./actions.ts). */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invitation = await findOpenInvitation(token);
  return (
    <main id="main" className="mx-auto mt-16 max-w-md px-4 pb-16">
      {invitation ? (
        <>
          <h1 className="text-2xl font-semibold">Join {invitation.organization}</h1>
          <p className="mt-2 text-sm text-slate-700">
            You are invited to the SCS Key-Manager Conformance dashboard as{' '}
            <strong className="break-all">{invitation.email}</strong>, a member of{' '}
            <strong>{invitation.organization}</strong>. Choose your name and a password to create your account.
          </p>
          <p className="mt-1 text-xs text-slate-600">This link works until {formatDate(invitation.expiresAt)}.</p>
          <div className="mt-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <AcceptInvitationForm
              action={acceptInvitationAction}
              token={token}
              email={invitation.email}
              minPasswordLength={MIN_PASSWORD_LENGTH}
            />
          </div>
        </>
      ) : (
        <>
          <h1 className="text-2xl font-semibold">This invitation link is no longer valid</h1>
          <p className="mt-2 text-slate-700">
            It may have been used already, revoked, or it expired. Ask the administrator who invited you for a new link.
          </p>
          <p className="mt-4">
            <Link href="/signin" className="underline">
              Go to sign-in
            </Link>{' '}
            if you have an account already.
          </p>
        </>
      )}
    </main>
  );
}
