'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main id="main" className="mx-auto max-w-xl p-8">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-700">
        The error has been logged{error.digest ? ` (reference ${error.digest})` : ''}. Try again, or come back later.
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      >
        Try again
      </button>
    </main>
  );
}
