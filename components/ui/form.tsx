import type { FormState } from '@/lib/next/form-state';

const inputClass =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-600/30 aria-[invalid=true]:border-red-600';

/**
 * The error of a field, also when the server keyed it to an item of the field's list
 * ("contactEmails.1": the second address of a comma-separated field).
 */
export function fieldError(state: FormState | undefined, name: string): string | undefined {
  const errors = state?.errors;
  if (!errors) return undefined;
  if (errors[name]) return errors[name];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${name}.`));
  if (!nested) return undefined;
  const index = Number(nested.slice(name.length + 1));
  const value = state?.values?.[name]?.split(/[\s,;]+/).filter(Boolean)[index];
  return value && Number.isInteger(index) ? `“${value.slice(0, 80)}”: ${errors[nested]}` : errors[nested];
}

interface FieldProps {
  name: string;
  label: string;
  state?: FormState;
  /** The stored value when editing; what was typed wins after a failed submit. */
  defaultValue?: string;
  hint?: string;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  multiline?: boolean;
  readOnly?: boolean;
}

export function Field({
  name,
  label,
  state,
  defaultValue,
  hint,
  type = 'text',
  required,
  autoComplete,
  placeholder,
  multiline,
  readOnly,
}: FieldProps) {
  const error = fieldError(state, name);
  const value = state?.values?.[name] ?? defaultValue ?? '';
  const id = `f-${name}`;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name,
    required,
    autoComplete,
    placeholder,
    readOnly,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    className: inputClass,
  };
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {required && (
          <span className="text-red-700" aria-hidden>
            {' '}
            *
          </span>
        )}
      </label>
      {multiline ? (
        <textarea {...common} defaultValue={value} rows={3} key={value} />
      ) : (
        <input
          {...common}
          type={type}
          defaultValue={type === 'password' ? undefined : value}
          key={type === 'password' ? undefined : value}
        />
      )}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField({
  name,
  label,
  state,
  defaultValue,
  options,
  required,
  hint,
}: {
  name: string;
  label: string;
  state?: FormState;
  defaultValue?: string;
  required?: boolean;
  hint?: string;
  options: { value: string; label: string }[];
}) {
  const error = fieldError(state, name);
  const value = state?.values?.[name] ?? defaultValue ?? '';
  const id = `f-${name}`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {required && (
          <span className="text-red-700" aria-hidden>
            {' '}
            *
          </span>
        )}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={value}
        key={value}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        className={inputClass}
      >
        {!required && <option value="">—</option>}
        {required && !value && (
          <option value="" disabled>
            Choose…
          </option>
        )}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function CheckboxField({
  name,
  label,
  state,
  defaultChecked,
  hint,
}: {
  name: string;
  label: string;
  state?: FormState;
  defaultChecked?: boolean;
  hint?: string;
}) {
  const checked = state?.values ? state.values[name] === 'on' : !!defaultChecked;
  const id = `f-${name}`;
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        name={name}
        type="checkbox"
        defaultChecked={checked}
        key={String(checked)}
        className="mt-1 h-4 w-4 rounded border-slate-400"
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-slate-600">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}

/** The form-level message: success, or the reason a submit was refused. */
export function FormMessage({ state }: { state: FormState }) {
  if (!state.message) return null;
  const ok = state.ok;
  return (
    <div
      role={ok ? 'status' : 'alert'}
      data-testid="form-message"
      className={`rounded-md border px-3 py-2 text-sm ${ok ? 'border-green-300 bg-green-50 text-green-900' : 'border-red-300 bg-red-50 text-red-900'}`}
    >
      {state.message}
    </div>
  );
}
