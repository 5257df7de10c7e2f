'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useRef, useState } from 'react';

export interface NavLink {
  href: string;
  label: string;
}
export interface NavGroup {
  label: string;
  links: NavLink[];
}

function isCurrent(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

const linkClass =
  'block whitespace-nowrap rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-950 aria-[current=page]:font-semibold aria-[current=page]:text-blue-800 xl:px-1 xl:py-1';

/**
 * The signed-in navigation (the disclosure pattern, not an ARIA menu): one row from 1280 px on, with
 * the admin pages and the account in small drop-downs; below that a "Menu" button opens one panel
 * with everything listed. Escape closes what is open and gives the focus back to its button; a
 * click outside or a navigation closes it too.
 */
export function AppNav({
  links,
  groups,
  account,
  signOut,
}: {
  links: NavLink[];
  groups: NavGroup[];
  account: { email: string; role: string; links: NavLink[] };
  signOut: () => Promise<void>;
}) {
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);
  const [openGroup, setOpenGroup] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  // A navigation closes whatever was open (adjusted while rendering, not in an effect).
  const [seenPath, setSeenPath] = useState(pathname);
  if (seenPath !== pathname) {
    setSeenPath(pathname);
    setMenuOpen(false);
    setOpenGroup(null);
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      if (openGroup) {
        document.getElementById(`navgroup-${openGroup}`)?.focus();
        setOpenGroup(null);
      } else if (menuOpen) {
        setMenuOpen(false);
        menuButton.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) {
        setOpenGroup(null);
        setMenuOpen(false);
      }
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('click', onClick);
    };
  }, [openGroup, menuOpen]);

  const item = (l: NavLink) => (
    <li key={l.href}>
      <Link href={l.href} className={linkClass} aria-current={isCurrent(pathname, l.href) ? 'page' : undefined}>
        {l.label}
      </Link>
    </li>
  );

  const group = (key: string, button: React.ReactNode, label: string, body: React.ReactNode, alignRight = false) => {
    const open = openGroup === key;
    return (
      <li className="relative">
        <button
          type="button"
          id={`navgroup-${key}`}
          className="hidden items-center gap-1 whitespace-nowrap rounded-md px-1 py-1 text-sm text-slate-700 hover:bg-slate-100 xl:inline-flex"
          aria-expanded={open}
          aria-controls={`navgroup-${key}-panel`}
          onClick={() => setOpenGroup(open ? null : key)}
        >
          {button}
          <span aria-hidden className="text-xs">
            ▾
          </span>
        </button>
        <p className="mt-2 px-2 text-xs font-semibold uppercase tracking-wide text-slate-500 xl:hidden">{label}</p>
        <div
          id={`navgroup-${key}-panel`}
          className={`${open ? 'xl:block' : 'xl:hidden'} xl:absolute xl:top-full xl:z-20 xl:mt-1 xl:min-w-48 xl:rounded-md xl:border xl:border-slate-200 xl:bg-white xl:p-1 xl:shadow-lg ${alignRight ? 'xl:right-0' : 'xl:left-0'}`}
        >
          {body}
        </div>
      </li>
    );
  };

  return (
    <div ref={root} className="flex flex-1 flex-wrap items-center justify-end xl:flex-nowrap xl:justify-between">
      <button
        ref={menuButton}
        type="button"
        className="inline-flex items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 xl:hidden"
        aria-expanded={menuOpen}
        aria-controls={panelId}
        onClick={() => setMenuOpen(!menuOpen)}
      >
        <span aria-hidden>{menuOpen ? '✕' : '☰'}</span> Menu
      </button>
      <div
        id={panelId}
        className={`${menuOpen ? 'block' : 'hidden'} w-full border-t border-slate-200 pt-2 xl:flex xl:w-auto xl:flex-1 xl:items-center xl:justify-between xl:border-0 xl:pt-0`}
      >
        <nav aria-label="Main" className="xl:ml-3">
          <ul className="flex flex-col gap-0.5 xl:flex-row xl:items-center xl:gap-1">
            {links.map(item)}
            {groups.map((g) => group(g.label, g.label, g.label, <ul>{g.links.map(item)}</ul>))}
          </ul>
        </nav>
        <ul className="mt-2 border-t border-slate-200 pt-2 xl:mt-0 xl:ml-3 xl:border-0 xl:pt-0">
          {group(
            'account',
            <span className="max-w-44 truncate" title={`${account.email} · ${account.role}`}>
              {account.email}
            </span>,
            'Account',
            <>
              <p className="px-2 py-1.5 text-sm text-slate-600 xl:border-b xl:border-slate-100" data-testid="whoami">
                <span className="break-all">{account.email}</span> · {account.role}
              </p>
              <ul>{account.links.map(item)}</ul>
              <form action={signOut} className="xl:border-t xl:border-slate-100">
                <button
                  type="submit"
                  className="block w-full rounded-md px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-100 xl:px-1.5 xl:py-1"
                >
                  Sign out
                </button>
              </form>
            </>,
            true,
          )}
        </ul>
      </div>
    </div>
  );
}
