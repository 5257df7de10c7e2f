import Link from 'next/link';

export type StepState = 'done' | 'next' | 'attention' | 'waiting';

export interface SetupStep {
  id: 'credential' | 'test' | 'run' | 'attestation' | 'certificate';
  title: string;
  state: StepState;
  /** What it says now: what was done, or what to do. */
  detail: string;
  link?: { href: string; label: string };
  /** A form (e.g. "Run now") instead of a link. */
  action?: React.ReactNode;
}

const MARK: Record<StepState, { sign: string; className: string; word: string }> = {
  done: { sign: '✓', className: 'bg-green-700 text-white', word: 'done' },
  next: { sign: '→', className: 'bg-blue-700 text-white', word: 'next' },
  attention: { sign: '!', className: 'bg-yellow-400 text-slate-900', word: 'needs attention' },
  waiting: { sign: '·', className: 'bg-slate-200 text-slate-700', word: 'later' },
};

/**
 * A new cloud's way to its certificate, one step after the other (credential → test → first run →
 * attestation → certificate), each with its state and the one thing to do next.
 */
export function SetupChecklist({ steps }: { steps: SetupStep[] }) {
  const done = steps.filter((s) => s.state === 'done').length;
  return (
    <section
      aria-labelledby="setup-title"
      className="mb-4 rounded-lg border border-blue-200 bg-blue-50/60 p-4 shadow-sm sm:p-6"
      data-testid="setup-checklist"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="setup-title" className="font-semibold">
          Set up this cloud
        </h2>
        <p className="text-sm text-slate-700">
          {done} of {steps.length} steps done
        </p>
      </div>
      <ol className="mt-3 space-y-3">
        {steps.map((s, i) => (
          <li
            key={s.id}
            className="flex gap-3"
            data-testid={`setup-${s.id}`}
            data-state={s.state}
            aria-current={s.state === 'next' || s.state === 'attention' ? 'step' : undefined}
          >
            <span
              aria-hidden
              className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-sm font-bold ${MARK[s.state].className}`}
            >
              {MARK[s.state].sign}
            </span>
            <div className="min-w-0 text-sm">
              <p className="font-medium">
                {i + 1}. {s.title} <span className="sr-only">({MARK[s.state].word})</span>
              </p>
              <p className="break-words text-slate-700">{s.detail}</p>
              {(s.link || s.action) && s.state !== 'done' && (
                <div className="mt-1 flex flex-wrap items-center gap-2">
                  {s.link && (
                    <Link className="font-medium text-blue-800 underline" href={s.link.href}>
                      {s.link.label}
                    </Link>
                  )}
                  {s.action}
                </div>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
