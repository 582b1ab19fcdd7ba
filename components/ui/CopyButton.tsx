import { useEffect, useState } from 'react';
import { IconCheck, IconCopy } from './icons';

/** Copies `text`; says "Copied" for a moment (announced), then goes back. */
export function CopyButton({
  text,
  label,
  copy = (t) => navigator.clipboard.writeText(t),
}: {
  text: string;
  label: string;
  copy?: (text: string) => Promise<void>;
}) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <>
      <button
        type="button"
        aria-label={label}
        title={label}
        className="inline-flex h-6 w-6 items-center justify-center rounded-control text-muted hover:bg-surface hover:text-fg"
        onClick={() => void copy(text).then(() => setCopied(true))}
      >
        {copied ? <IconCheck aria-hidden="true" size={14} /> : <IconCopy aria-hidden="true" size={14} />}
      </button>
      <span role="status" className="sr-only">
        {copied ? 'Copied' : ''}
      </span>
    </>
  );
}
