import Link from 'next/link';
import { currentContext } from '@/lib/next/session';
import { decide, type Actor, type Action } from '@/lib/auth/policy';
import { AppNav, type NavGroup, type NavLink } from '@/components/shell/app-nav';
import { signOutAction } from './actions';

function allowed(actor: Actor, action: Action): boolean {
  return decide(actor, action, { type: 'global' }) === 'allow';
}

// The signed-in shell. Layouts are kept across client navigations, so this only draws the
// navigation; every page checks its caller itself (lib/next/page.ts).
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { actor } = await currentContext();
  const links: NavLink[] = actor
    ? [
        { href: '/compliance', label: 'Overview' },
        { href: '/clouds', label: 'Clouds' },
        {
          href: '/attestations',
          label: allowed(actor, 'attestation.review') ? 'Review queue' : 'Attestations',
        },
        { href: '/organizations', label: 'Organizations' },
        { href: '/audit', label: 'Audit log' },
        { href: '/status', label: 'Public status' },
      ]
    : [];
  const admin: NavLink[] = actor
    ? [
        ...(allowed(actor, 'user.list') ? [{ href: '/admin/users', label: 'Users' }] : []),
        ...(allowed(actor, 'invitation.create') ? [{ href: '/admin/invitations', label: 'Invitations' }] : []),
        ...(allowed(actor, 'webhook.log.read') ? [{ href: '/admin/deliveries', label: 'Deliveries' }] : []),
      ]
    : [];
  const groups: NavGroup[] = admin.length ? [{ label: 'Admin', links: admin }] : [];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3">
          <Link
            href="/compliance"
            className="text-[15px] font-semibold whitespace-nowrap text-blue-800 sm:text-base xl:text-[15px]"
          >
            <span className="sm:hidden">SCS KM Conformance</span>
            <span className="hidden sm:inline">SCS Key-Manager Conformance</span>
          </Link>
          {actor && (
            <AppNav
              links={links}
              groups={groups}
              account={{
                email: actor.email,
                role: actor.role,
                links: [
                  { href: '/settings/notifications', label: 'Notifications' },
                  { href: '/settings/tokens', label: 'API tokens' },
                ],
              }}
              signOut={signOutAction}
            />
          )}
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
