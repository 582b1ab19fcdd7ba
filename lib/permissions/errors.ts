// One error for every way a permission can be refused before it is sent, so a caller can show
// which field is wrong without parsing a message. A viem BaseError: `shortMessage` is the message
// (`field: reason`), `details` the reason alone (never a cause's text, which may be a schema dump).
import { BaseError } from 'viem';

export class PermissionError extends BaseError {
  override name = 'PermissionError' as const;
  /** Where in the permission, e.g. `spend[0].limit`, `calls[2]`, `expiry`, `gas.maxFeePerGas`. */
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string, options?: { cause?: unknown }) {
    super(`${field}: ${reason}`, { cause: errorOf(options?.cause), name: 'PermissionError' });
    // viem's message adds "Details:" and "Version:" lines; callers show this one as written.
    this.message = this.shortMessage;
    this.details = reason;
    this.field = field;
    this.reason = reason;
  }
}

/** A cause as BaseError takes it (an Error), or none. */
export const errorOf = (cause: unknown): Error | undefined => (cause === undefined ? undefined : cause instanceof Error ? cause : new Error(String(cause)));
