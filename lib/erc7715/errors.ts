// One error for every ERC-7715 request Functor refuses before showing it to anyone. The RPC layer
// maps `code` to an EIP-1193 error (INVALID_PARAMS: -32602); `field` says where, in the dapp's own
// terms (`[0].permission.data.periodAmount`), so a developer can fix the request without guessing.
// A viem BaseError: `shortMessage` is the message (`field: reason`), `details` the reason alone.
import { BaseError } from 'viem';
import { errorOf } from '../permissions/errors.js';

export type PermissionRequestErrorCode =
  /** Malformed, out of range, or asking for something that cannot be enforced as written. */
  | 'INVALID_PARAMS'
  /** Well-formed, but a permission type, rule or signer kind Functor does not grant. */
  | 'UNSUPPORTED';

export class PermissionRequestError extends BaseError {
  override name = 'PermissionRequestError' as const;
  readonly code: PermissionRequestErrorCode;
  /** Path in the request, e.g. `permission.data.periodAmount`, `rules[0].data.timestamp`. */
  readonly field: string;
  readonly reason: string;

  constructor(code: PermissionRequestErrorCode, field: string, reason: string, options?: { cause?: unknown }) {
    super(`${field}: ${reason}`, { cause: errorOf(options?.cause), name: 'PermissionRequestError' });
    // viem's message adds "Details:" and "Version:" lines; the page reads this one as written.
    this.message = this.shortMessage;
    this.details = reason;
    this.code = code;
    this.field = field;
    this.reason = reason;
  }

  /** The same error, located under `prefix` (an array index or a parent field). */
  within(prefix: string): PermissionRequestError {
    const field = this.field === 'params' ? prefix : this.field.startsWith('[') ? `${prefix}${this.field}` : `${prefix}.${this.field}`;
    return new PermissionRequestError(this.code, field, this.reason, { cause: this.cause });
  }
}

export function invalid(field: string, reason: string, cause?: unknown): PermissionRequestError {
  return new PermissionRequestError('INVALID_PARAMS', field, reason, cause === undefined ? undefined : { cause });
}

export function unsupported(field: string, reason: string): PermissionRequestError {
  return new PermissionRequestError('UNSUPPORTED', field, reason);
}
