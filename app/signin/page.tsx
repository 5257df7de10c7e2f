import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { currentContext } from '@/lib/next/session';
import { oidcEnabled, oidcName } from '@/lib/next/auth';
import { SignInForm } from '@/components/shell/signin-form';
import { safeNext } from '@/lib/next/safe-next';
import { signInWithOidc, signInWithPassword } from './actions';

export const metadata: Metadata = { title: 'Sign in' };

const ERRORS: Record<string, string> = {
  OidcUnknown: 'Your single sign-on account has no access here. Ask an administrator to invite your email address.',
  OidcNoEmail: 'Your identity provider did not send a verified email address.',
  Configuration: 'Sign-in is not configured correctly; see the server log.',
  AccessDenied: 'Access was denied.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const sp = await searchParams;
  const { actor } = await currentContext();
  if (actor) redirect(safeNext(sp.next));
  const error = sp.error ? (ERRORS[sp.error] ?? 'Sign-in failed. Try again.') : undefined;
  return (
    <main id="main" className="mx-auto mt-16 max-w-sm px-4">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <p className="mt-1 text-sm text-slate-600">SCS Key-Manager Conformance</p>
      {sp.signedOut && (
        <p role="status" className="mt-4 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm">
          You have signed out.
        </p>
      )}
      {sp.invited && (
        <p role="status" className="mt-4 rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm">
          Your account is ready. Sign in with your email and the password you chose.
        </p>
      )}
      {error && (
        <p role="alert" className="mt-4 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm">
          {error}
        </p>
      )}
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <SignInForm next={safeNext(sp.next, '')} signIn={signInWithPassword} email={sp.email} />
        {oidcEnabled && (
          <form action={signInWithOidc} className="mt-4 border-t border-slate-200 pt-4">
            <input type="hidden" name="next" value={safeNext(sp.next, '')} />
            <button
              type="submit"
              className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100"
            >
              Sign in with {oidcName}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
