// The GET filter forms above lists (search, selects, apply): one look for every list page. They
// work without JavaScript; the values come back from the URL.

const control = 'mt-1 block rounded-md border border-slate-300 px-2 py-1.5';

export function FilterForm({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <form className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label={label}>
      {children}
      <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100">
        Apply
      </button>
    </form>
  );
}

export function FilterSearch({ value, placeholder }: { value?: string; placeholder?: string }) {
  return (
    <label className="text-sm">
      Search
      <input name="q" defaultValue={value} placeholder={placeholder} className={control} />
    </label>
  );
}

/** A select of a filter; `all` adds a first option "All" with the empty value. */
export function FilterSelect({
  name,
  label,
  value,
  options,
  all = false,
}: {
  name: string;
  label: string;
  value?: string;
  options: Array<{ value: string; label: string }>;
  all?: boolean;
}) {
  // Options may be long sentences (a status with its meaning): the closed select stays within the
  // screen (and within 24rem from the small breakpoint on); the open list shows them whole.
  return (
    <label className="max-w-full text-sm">
      {label}
      <select name={name} defaultValue={value ?? ''} className={`${control} max-w-full sm:max-w-sm`}>
        {all && <option value="">All</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FilterCheckbox({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  return (
    <label className="flex items-center gap-1 text-sm">
      <input type="checkbox" name={name} value="1" defaultChecked={checked} /> {label}
    </label>
  );
}
