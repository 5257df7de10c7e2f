import Link from 'next/link';

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-xl p-8">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-700">There is nothing here, or you may not see it.</p>
      <Link href="/" className="mt-4 inline-block underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
