import type { ReactNode } from 'react';
import { IconBan, IconCircleCheck, IconClockAlert, IconCircle } from './icons';

/** A key's or an operation's state at a glance: colour, icon and word together (never colour alone). */
export type ChipState = 'active' | 'expiring' | 'revoked' | 'blocked' | 'neutral';

const TONES: Record<ChipState, string> = {
  active: 'border-ok-line bg-ok-soft text-ok-text',
  expiring: 'border-warn-line bg-warn-soft text-warn-text',
  revoked: 'border-line bg-surface text-muted',
  blocked: 'border-danger-line bg-danger-soft text-danger-text',
  neutral: 'border-line bg-surface text-fg',
};
const ICONS = { active: IconCircleCheck, expiring: IconClockAlert, revoked: IconCircle, blocked: IconBan, neutral: undefined };

export function Chip({ state, children }: { state: ChipState; children: ReactNode }) {
  const Icon = ICONS[state];
  return (
    <span data-state={state} className={`inline-flex items-center gap-1 rounded-full border px-2 py-0.5 text-xs font-medium ${TONES[state]}`}>
      {Icon && <Icon aria-hidden="true" size={12} />}
      {children}
    </span>
  );
}
