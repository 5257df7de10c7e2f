import Link from 'next/link';

export default function Forbidden() {
  return (
    <main id="main" className="mx-auto max-w-xl p-8">
      <h1 className="text-2xl font-semibold">You may not do this</h1>
      <p className="mt-2 text-slate-700">Your role does not allow this action. Ask an administrator if you need it.</p>
      <Link href="/" className="mt-4 inline-block underline">
        Back to the dashboard
      </Link>
    </main>
  );
}
