// One error for every way a permission can be refused before it is sent, so a caller can show
// which field is wrong without parsing a message.

export class PermissionError extends Error {
  override name = 'PermissionError' as const;
  /** Where in the permission, e.g. `spend[0].limit`, `calls[2]`, `expiry`, `gas.maxFeePerGas`. */
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string, options?: { cause?: unknown }) {
    super(`${field}: ${reason}`, options);
    this.field = field;
    this.reason = reason;
  }
}
