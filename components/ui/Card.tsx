import type { HTMLAttributes } from 'react';

/** A bordered surface grouping one thing (an account, a key, a permission); `as` keeps lists semantic. */
export function Card({ as: Tag = 'div', className = '', ...rest }: HTMLAttributes<HTMLElement> & { as?: 'div' | 'li' | 'section' | 'article' }) {
  return <Tag className={`rounded-card border border-line bg-raised p-3 ${className}`} {...rest} />;
}
