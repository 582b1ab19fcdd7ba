import { describe, expect, test } from 'vitest';
import { VaultError } from './errors.js';
import { createLockState } from './lockState.js';
import type { VaultSecret } from './secret.js';

const SECRET: VaultSecret = { kind: 'mnemonic', mnemonic: 'test test test test test test test test test test test junk' };
const AUTO_LOCK_MS = 15 * 60_000;

/** A lock state on a hand-moved clock starting at t = 1,000,000 ms. */
function setup() {
  const clock = { t: 1_000_000 };
  const state = createLockState({ autoLockMs: AUTO_LOCK_MS, now: () => clock.t });
  return { clock, state };
}

function expectLocked(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VaultError);
    expect((e as VaultError).code).toBe('LOCKED');
    expect((e as VaultError).message).not.toContain('test test');
    return;
  }
  throw new Error('expected LOCKED');
}

describe('lock and unlock', () => {
  test('test_StartsLocked', () => {
    const { state } = setup();
    expect(state.isLocked()).toBe(true);
    expect(state.expiresAt()).toBeUndefined();
    expectLocked(() => state.secret());
  });

  test('test_UnlockGivesTheSecret', () => {
    const { state } = setup();
    state.unlock(SECRET);
    expect(state.isLocked()).toBe(false);
    expect(state.secret()).toBe(SECRET);
  });

  test('test_LockDropsTheSecret', () => {
    const { state } = setup();
    state.unlock(SECRET);
    state.lock();
    expect(state.isLocked()).toBe(true);
    expectLocked(() => state.secret());
    expect(state.expiresAt()).toBeUndefined();
  });

  test('test_TouchWhileLockedDoesNotUnlock', () => {
    const { state } = setup();
    state.touch();
    expect(state.isLocked()).toBe(true);
  });

  test('test_RevertWhen_AutoLockInvalid', () => {
    for (const autoLockMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createLockState({ autoLockMs })).toThrow(RangeError);
    }
  });

  test('test_DefaultClockIsDateNow', () => {
    const state = createLockState({ autoLockMs: 60_000 });
    state.unlock(SECRET);
    expect(state.isLocked()).toBe(false);
    expect(state.expiresAt()! - Date.now()).toBeGreaterThan(50_000);
  });
});

describe('auto-lock', () => {
  test('test_LocksAfterIdle', () => {
    const { clock, state } = setup();
    state.unlock(SECRET);
    expect(state.expiresAt()).toBe(clock.t + AUTO_LOCK_MS);
    clock.t += AUTO_LOCK_MS - 1;
    expect(state.secret()).toBe(SECRET);
    clock.t += 1;
    expect(state.isLocked()).toBe(true);
    expectLocked(() => state.secret());
  });

  test('test_ReadingIsNotActivity', () => {
    const { clock, state } = setup();
    state.unlock(SECRET);
    for (let i = 0; i < 3; i++) {
      clock.t += AUTO_LOCK_MS / 3;
      if (i < 2) state.secret();
    }
    expectLocked(() => state.secret());
  });

  test('test_TouchExtendsTheIdleWindow', () => {
    const { clock, state } = setup();
    state.unlock(SECRET);
    clock.t += AUTO_LOCK_MS - 1;
    state.touch();
    expect(state.expiresAt()).toBe(clock.t + AUTO_LOCK_MS);
    clock.t += AUTO_LOCK_MS - 1; // well past the first deadline
    expect(state.secret()).toBe(SECRET);
    clock.t += 1;
    expectLocked(() => state.secret());
  });

  test('test_TouchAfterExpiryDoesNotRevive', () => {
    const { clock, state } = setup();
    state.unlock(SECRET);
    clock.t += AUTO_LOCK_MS + 5;
    state.touch(); // the first read after the deadline, e.g. a service worker waking up
    expect(state.isLocked()).toBe(true);
    expectLocked(() => state.secret());
  });

  test('test_ExpiryClearsTheSecret', () => {
    // Asked once past the deadline, the secret is gone: asking again "earlier" does not bring it
    // back, so it was dropped, not merely hidden by the time check.
    const { clock, state } = setup();
    const start = clock.t;
    state.unlock(SECRET);
    expect(state.isLocked(start + AUTO_LOCK_MS + 1)).toBe(true);
    expectLocked(() => state.secret(start + 1));
    expect(state.expiresAt()).toBeUndefined();
  });

  test('test_ExplicitTimeArgument', () => {
    const { clock, state } = setup();
    state.unlock(SECRET);
    expect(state.isLocked(clock.t + AUTO_LOCK_MS - 1)).toBe(false);
    expect(state.secret(clock.t + 10)).toBe(SECRET);
    expectLocked(() => state.secret(clock.t + AUTO_LOCK_MS));
  });

  test('test_ClockGoingBackwardsLocks', () => {
    const { clock, state } = setup();
    state.unlock(SECRET);
    clock.t -= 1;
    expect(state.isLocked()).toBe(true);
  });

  test('test_UnlockAgainAfterAutoLock', () => {
    const { clock, state } = setup();
    state.unlock(SECRET);
    clock.t += AUTO_LOCK_MS;
    expect(state.isLocked()).toBe(true);
    state.unlock(SECRET);
    expect(state.secret()).toBe(SECRET);
    expect(state.expiresAt()).toBe(clock.t + AUTO_LOCK_MS);
  });
});
