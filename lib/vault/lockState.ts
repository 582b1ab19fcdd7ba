// Whether the decrypted secret may be used right now. Pure: the clock is injected and nothing
// schedules timers, so the background decides how to poll (chrome.alarms at `expiresAt()`, or a
// check on every request) and tests move time by hand.
//
// Idle expiry is checked whenever the state is read, so a service worker that slept through the
// deadline still finds itself locked. Expiry drops the reference to the secret; JS cannot wipe
// strings, so this is as close to clearing memory as the language allows.
import { VaultError } from './errors.js';
import type { VaultSecret } from './secret.js';

export type LockState = {
  /** Holds `secret` and starts the idle window now. */
  unlock(secret: VaultSecret): void;
  /** Drops the secret. */
  lock(): void;
  /** Records user activity: restarts the idle window. Does nothing when locked or already expired. */
  touch(): void;
  /** True when there is no secret or it has been idle for `autoLockMs` (and then drops it). */
  isLocked(at?: number): boolean;
  /** The secret, or VaultError 'LOCKED'. Reading it is not activity: call `touch()` for that. */
  secret(at?: number): VaultSecret;
  /** When the idle window ends (ms, on the injected clock), or undefined when locked. */
  expiresAt(): number | undefined;
};

export function createLockState(params: {
  /** Idle time after which the vault locks itself. */
  autoLockMs: number;
  /** The clock, in ms. Default Date.now. */
  now?: () => number;
}): LockState {
  const { autoLockMs, now = Date.now } = params;
  if (!(Number.isFinite(autoLockMs) && autoLockMs > 0)) throw new RangeError('autoLockMs must be a positive number of milliseconds');

  let held: VaultSecret | undefined;
  let lastActivity = 0;

  function expired(at: number): boolean {
    // A clock that goes backwards (the user or NTP moving the system time) locks rather than
    // extends the window: failing closed costs a password prompt, failing open costs the key.
    return at - lastActivity >= autoLockMs || at < lastActivity;
  }

  function isLocked(at = now()): boolean {
    if (held !== undefined && expired(at)) held = undefined;
    return held === undefined;
  }

  return {
    unlock(secret) {
      held = secret;
      lastActivity = now();
    },
    lock() {
      held = undefined;
    },
    touch() {
      const at = now();
      if (!isLocked(at)) lastActivity = at;
    },
    isLocked,
    secret(at = now()) {
      if (isLocked(at) || held === undefined) throw new VaultError('LOCKED', 'The wallet is locked. Enter your password to unlock it.');
      return held;
    },
    expiresAt() {
      return held === undefined ? undefined : lastActivity + autoLockMs;
    },
  };
}
