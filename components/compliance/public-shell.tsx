import Link from 'next/link';

/** The frame of the public pages: no sign-in, no client JavaScript of ours. */
export function PublicShell({ children }: { children: React.ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/status" className="font-semibold text-blue-800">SCS Key-Manager certificate status</Link>
          <nav aria-label="Public" className="flex flex-wrap gap-4 text-sm">
            <Link href="/status" className="text-slate-700 hover:underline">Clouds</Link>
            <Link href="/certificates/revoked" className="text-slate-700 hover:underline">Revocation list</Link>
            <Link href="/signin" className="text-slate-700 hover:underline">Sign in</Link>
          </nav>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
