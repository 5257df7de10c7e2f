'use client';
import { useId, useState } from 'react';
import { variants } from './button';

/**
 * A secret shown once (a new API token, an invitation link): read-only, selectable, with a copy
 * button and a warning that it will not be shown again.
 */
export function Reveal({ value, label, warning }: { value: string; label: string; warning: React.ReactNode }) {
  const id = useId();
  const [copied, setCopied] = useState<'idle' | 'ok' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('ok');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="reveal">
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm"
          aria-describedby={`${id}-warning`}
        />
        <button type="button" className={variants.secondary} onClick={copy}>
          Copy
        </button>
      </div>
      <p id={`${id}-warning`} className="text-sm text-amber-900">
        {warning}
      </p>
      <p role="status" className="text-xs text-slate-700">
        {copied === 'ok'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Copying failed; select the text and copy it yourself.'
            : ''}
      </p>
    </div>
  );
}
