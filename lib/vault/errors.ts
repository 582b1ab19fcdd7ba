// One error for every way the vault refuses, with a code a caller can switch on (the popup shows
// "wrong password" for one code and "this vault was damaged" for another) without parsing text.
// Messages never contain the secret, the password or the user's input: errors get logged and
// shown, and key material must not travel with them. A viem BaseError whose `shortMessage` and
// `details` are that message: never a cause's text, which is not checked for secrets.
import { BaseError } from 'viem';

export type VaultErrorCode =
  /** Decryption failed. A wrong password and an edited vault look the same on purpose. */
  | 'WRONG_PASSWORD_OR_TAMPERED'
  /** The stored KDF is cheaper than MIN_ITERATIONS: refused so storage edits cannot downgrade it. */
  | 'WEAK_KDF'
  /** The stored vault (or the secret inside it) does not have the expected shape. */
  | 'MALFORMED'
  /** The vault was written in a format this build does not know (a newer version). */
  | 'UNSUPPORTED_VERSION'
  /** An empty password was offered to encrypt a vault. */
  | 'INVALID_PASSWORD'
  /** An imported phrase or private key is not valid. */
  | 'INVALID_SECRET'
  /** A private-key secret has one account; another index was asked for. */
  | 'NO_SUCH_ACCOUNT'
  /** The secret was asked for while the vault is locked (or idle past the auto-lock time). */
  | 'LOCKED';

export class VaultError extends BaseError {
  override name = 'VaultError' as const;
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause instanceof Error ? options.cause : undefined, details: message, name: 'VaultError' });
    this.message = message;
    this.details = message;
    this.code = code;
  }
}
