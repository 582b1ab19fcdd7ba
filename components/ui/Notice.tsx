import type { ReactNode } from 'react';
import { IconCircleAlert, IconInfo, IconShieldCheck, IconWarning } from './icons';

export type NoticeTone = 'danger' | 'warn' | 'info' | 'ok';

const TONES: Record<NoticeTone, string> = {
  danger: 'border-danger-line bg-danger-soft text-danger-text',
  warn: 'border-warn-line bg-warn-soft text-warn-text',
  info: 'border-info-line bg-info-soft text-info-text',
  ok: 'border-ok-line bg-ok-soft text-ok-text',
};
const ICONS = { danger: IconCircleAlert, warn: IconWarning, info: IconInfo, ok: IconShieldCheck };

/**
 * A banner: an error, a warning, a note. `role` is the caller's: "alert" for what must be heard
 * now (an error, a risk), "status" for progress, none for a standing note.
 */
export function Notice({
  tone,
  role,
  children,
  className = '',
  label,
}: {
  tone: NoticeTone;
  role?: 'alert' | 'status' | 'note';
  children: ReactNode;
  className?: string;
  label?: string;
}) {
  const Icon = ICONS[tone];
  return (
    <div role={role} aria-label={label} data-tone={tone} className={`flex items-start gap-2 rounded-control border p-2 ${TONES[tone]} ${className}`}>
      <Icon aria-hidden="true" size={16} className="mt-0.5 shrink-0" />
      <div className="min-w-0 flex-1 break-words">{children}</div>
    </div>
  );
}
