import type { ButtonHTMLAttributes } from 'react';

/**
 * What a button does decides how it looks: the one thing to do, an alternative, an irreversible act
 * (outlined where it only opens its confirmation), or a link-like action.
 */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'danger-outline' | 'ghost';

const VARIANTS: Record<ButtonVariant, string> = {
  primary: 'bg-primary text-on-primary hover:bg-primary-hover',
  secondary: 'border border-line bg-raised text-fg hover:bg-surface',
  danger: 'bg-danger text-on-danger hover:bg-danger-hover',
  'danger-outline': 'border border-danger bg-raised text-danger hover:bg-danger-soft',
  ghost: 'text-primary underline-offset-2 hover:underline',
};
const SIZES = { sm: 'px-2 py-0.5 text-xs', md: 'px-3 py-1.5 text-sm' } as const;

/** A button by role; `type` defaults to "button" so that only a form's submit button submits it. */
export function Button({
  variant = 'secondary',
  size = 'md',
  className = '',
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: keyof typeof SIZES }) {
  return (
    <button
      type={type}
      data-variant={variant}
      className={`inline-flex items-center justify-center gap-1.5 rounded-control font-medium transition-colors disabled:cursor-not-allowed disabled:opacity-50 ${VARIANTS[variant]} ${SIZES[size]} ${className}`}
      {...rest}
    />
  );
}
