import Link from 'next/link';
import { formatDateTime, formatTimestamp as stamp } from '@/lib/format';
import { html, type Html } from '@/lib/html';

export function PageHeader({
  title,
  description,
  actions,
  breadcrumbs,
}: {
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  breadcrumbs?: { href: string; label: string }[];
}) {
  return (
    <div className="mb-6">
      {breadcrumbs && (
        <nav aria-label="Breadcrumb" className="mb-1 text-sm text-slate-600">
          {breadcrumbs.map((b, i) => (
            <span key={b.href}>
              {i > 0 && ' / '}
              <Link className="underline-offset-2 hover:underline" href={b.href}>
                {b.label}
              </Link>
            </span>
          ))}
        </nav>
      )}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap gap-2">{actions}</div>}
      </div>
    </div>
  );
}

export function Card({
  children,
  className = '',
  id,
  testId,
}: {
  children: React.ReactNode;
  className?: string;
  id?: string;
  testId?: string;
}) {
  return (
    <section
      id={id}
      data-testid={testId}
      className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6 ${className}`}
    >
      {children}
    </section>
  );
}

/** An empty list that says what to do next (a link or button as `action`). */
export function EmptyState({
  title,
  children,
  action,
}: {
  title: string;
  children?: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <div
      className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center"
      data-testid="empty-state"
    >
      <p className="font-medium">{title}</p>
      {children && <div className="mt-2 text-sm text-slate-600">{children}</div>}
      {action && <div className="mt-4 flex flex-wrap justify-center gap-2">{action}</div>}
    </div>
  );
}

export type Tone = 'slate' | 'green' | 'red' | 'yellow' | 'blue';
const TONES: Record<Tone, string> = {
  slate: 'bg-slate-100 text-slate-800',
  green: 'bg-green-100 text-green-900',
  red: 'bg-red-100 text-red-900',
  yellow: 'bg-yellow-100 text-yellow-900',
  blue: 'bg-blue-100 text-blue-900',
};
const tagClass = (tone: Tone) => `inline-block rounded px-2 py-0.5 text-xs font-medium ${TONES[tone]}`;

export function Tag({ children, tone = 'slate' }: { children: React.ReactNode; tone?: Tone }) {
  return <span className={tagClass(tone)}>{children}</span>;
}

/** Tag as an HTML string, for lists drawn as markup (components/compliance/timeline-html.ts). */
export function tagHtml(text: string, tone: Tone = 'slate'): Html {
  return html`<span class="${tagClass(tone)}">${text}</span>`;
}

/** A responsive table: scrolls sideways on small screens rather than breaking the layout. */
export function Table({
  caption,
  head,
  children,
}: {
  caption: string;
  head: React.ReactNode[];
  children: React.ReactNode;
}) {
  // relative: keeps absolutely positioned (sr-only) cell content inside the scroll box on narrow screens.
  // Focusable and named, so that keyboard users can scroll it sideways too.
  return (
    <div
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm"
      tabIndex={0}
      role="region"
      aria-label={caption}
    >
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className = '' }: { children: React.ReactNode; className?: string }) {
  return <td className={`px-3 py-2 align-top ${className}`}>{children}</td>;
}

export function formatDate(d: Date | string | null | undefined): string {
  return formatDateTime(d);
}

/** A precise UTC timestamp, to the second (audit log). */
export function formatTimestamp(d: Date | string | null | undefined): string {
  return stamp(d);
}

/** A moment as a <time> element that never wraps: "2025-05-01 08:07 UTC" (or to the second). */
export function Time({ value, seconds }: { value: Date | string | null | undefined; seconds?: boolean }) {
  if (!value) return <span>—</span>;
  const d = new Date(value);
  return (
    <time dateTime={d.toISOString()} className="whitespace-nowrap">
      {seconds ? stamp(d) : formatDateTime(d)}
    </time>
  );
}

/** Whether a moment has passed (server render time): expiry badges. */
export function isPast(d: Date | string): boolean {
  return new Date(d).getTime() <= Date.now();
}
