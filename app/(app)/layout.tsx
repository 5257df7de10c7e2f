import Link from 'next/link';
import { currentContext } from '@/lib/auth/session';
import { decide } from '@/lib/auth/policy';
import { signOutAction } from './actions';

// The signed-in shell. Layouts are kept across client navigations, so this only draws the
// navigation; every page checks its caller itself (lib/next/page.ts).
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { actor } = await currentContext();
  const links = [
    { href: '/compliance', label: 'Overview' },
    { href: '/clouds', label: 'Clouds' },
    {
      href: '/attestations',
      label:
        actor && decide(actor, 'attestation.review', { type: 'global' }) === 'allow' ? 'Review queue' : 'Attestations',
    },
    { href: '/organizations', label: 'Organizations' },
    { href: '/audit', label: 'Audit log' },
    ...(actor && decide(actor, 'user.list', { type: 'global' }) === 'allow'
      ? [{ href: '/admin/users', label: 'Users' }]
      : []),
    ...(actor && decide(actor, 'webhook.log.read', { type: 'global' }) === 'allow'
      ? [{ href: '/admin/deliveries', label: 'Deliveries' }]
      : []),
    { href: '/settings/notifications', label: 'Notifications' },
    { href: '/settings/tokens', label: 'API tokens' },
    { href: '/status', label: 'Public status' },
  ];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/compliance" className="font-semibold text-blue-800">
            SCS Key-Manager Conformance
          </Link>
          {actor && (
            <nav aria-label="Main" className="flex flex-wrap gap-4 text-sm">
              {links.map((l) => (
                <Link key={l.href} href={l.href} className="text-slate-700 hover:text-slate-950 hover:underline">
                  {l.label}
                </Link>
              ))}
            </nav>
          )}
          {actor && (
            <form action={signOutAction} className="ml-auto flex items-center gap-3 text-sm">
              <span className="text-slate-600" data-testid="whoami">
                {actor.email} · {actor.role}
              </span>
              <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100">
                Sign out
              </button>
            </form>
          )}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
