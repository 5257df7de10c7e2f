'use client';
import Link from 'next/link';
import { useFormStatus } from 'react-dom';

const base =
  'inline-flex items-center justify-center gap-1 rounded-md px-3 py-2 text-sm font-medium shadow-sm disabled:cursor-not-allowed disabled:opacity-60';
export const variants = {
  primary: `${base} bg-blue-700 text-white hover:bg-blue-800`,
  secondary: `${base} border border-slate-300 bg-white text-slate-900 hover:bg-slate-100`,
  danger: `${base} bg-red-700 text-white hover:bg-red-800`,
};

/** A submit button that shows it is working while its form's action runs. */
export function SubmitButton({
  children,
  variant = 'primary',
  pendingText,
}: {
  children: React.ReactNode;
  variant?: keyof typeof variants;
  pendingText?: string;
}) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={variants[variant]} disabled={pending} aria-busy={pending}>
      {pending ? (pendingText ?? 'Working…') : children}
    </button>
  );
}

export function LinkButton({
  href,
  children,
  variant = 'secondary',
}: {
  href: string;
  children: React.ReactNode;
  variant?: keyof typeof variants;
}) {
  return (
    <Link href={href} className={variants[variant]}>
      {children}
    </Link>
  );
}
