import type { FormState } from '@/lib/next/form-state';

/**
 * A group of checkboxes, one per organization (field "organizations", one value per checked
 * box). After a refused submit the boxes show what was ticked, not what was stored.
 */
export function OrganizationsField({
  organizations,
  state,
  defaultValue = [],
  hint,
}: {
  organizations: { slug: string; name: string }[];
  state?: FormState;
  defaultValue?: string[];
  hint?: string;
}) {
  const error = state?.errors?.organizations;
  const kept = state?.values ? (state.values.organizations ?? '').split(',').filter(Boolean) : defaultValue;
  const key = kept.join(',');
  return (
    <fieldset
      aria-describedby={
        [hint && 'f-organizations-hint', error && 'f-organizations-error'].filter(Boolean).join(' ') || undefined
      }
    >
      <legend className="text-sm font-medium text-slate-800">Organizations</legend>
      {hint && (
        <p id="f-organizations-hint" className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {organizations.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">There are no organizations yet.</p>
      ) : (
        <div
          className="mt-2 grid max-h-64 gap-1 overflow-y-auto rounded-md border border-slate-200 p-2 sm:grid-cols-2"
          key={key}
        >
          {organizations.map((o) => (
            <label key={o.slug} className="flex items-center gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50">
              <input
                type="checkbox"
                name="organizations"
                value={o.slug}
                defaultChecked={kept.includes(o.slug)}
                className="h-4 w-4 rounded border-slate-400"
              />
              <span>
                {o.name} <span className="text-slate-500">({o.slug})</span>
              </span>
            </label>
          ))}
        </div>
      )}
      {error && (
        <p id="f-organizations-error" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
