import type { ReactNode } from 'react';
import { IconInbox } from './icons';

/** Nothing here yet, said as what will appear and how it gets there. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-1 rounded-card border border-dashed border-line p-6 text-center">
      <IconInbox aria-hidden="true" size={24} className="text-muted" />
      <p className="font-medium">{title}</p>
      {children && <p className="text-xs text-muted">{children}</p>}
    </div>
  );
}
