import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

/** An input's look where a whole Field does not fit (a short inline form). */
export const INPUT_CLASS = 'rounded-control border border-line bg-page px-2 py-1 text-fg';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & {
  label: ReactNode;
  value: string;
  onValue: (value: string) => void;
  /** Said under the field and tied to it (aria-invalid, aria-describedby). */
  error?: string;
  hint?: string;
  /** A textarea (a recovery phrase), with the same label and error. */
  multiline?: boolean;
};

/**
 * A labelled input with its error said right under it and tied to it, so a screen reader reads the
 * problem with the field. The label's text is the field's accessible name, exactly as given.
 */
export function Field({ label, value, onValue, error, hint, multiline = false, className = '', ...input }: Props) {
  const id = useId();
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    className: `mt-1 w-full rounded-control border bg-page px-2 py-1.5 text-fg ${error ? 'border-danger' : 'border-line'} ${className}`,
  };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {multiline ? (
        <textarea {...common} rows={3} autoComplete="off" spellCheck={false} onChange={(e) => onValue(e.target.value)} />
      ) : (
        <input {...input} {...common} onChange={(e) => onValue(e.target.value)} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
