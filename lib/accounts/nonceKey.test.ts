import { describe, expect, it } from 'vitest';
import { toHex } from 'viem';
import { laneNonceKey, laneOf, nonceKeyRoutesTo, validatorNonceKey } from './nonceKey.js';

const v = '0x43F6aa86fbFfbEC0d2e11fb4d8238aEBC24Fb8c1';
const lv = v.slice(2).toLowerCase();
const hex = (k: bigint) => toHex(k, { size: 24 }).toLowerCase();

describe('validatorNonceKey', () => {
  it('Kernel v3: mode 0x00, type 0x01 (validator), validator, 2-byte key', () => {
    expect(hex(validatorNonceKey('kernel', v))).toBe(`0x0001${lv}0000`);
  });
  it('Nexus: 3-byte key, mode 0x00, validator', () => {
    expect(hex(validatorNonceKey('nexus', v))).toBe(`0x00000000${lv}`);
  });
  it('Safe7579: validator in the top 20 bytes of the key', () => {
    expect(hex(validatorNonceKey('safe', v))).toBe(`0x${lv}00000000`);
    expect(validatorNonceKey('safe', v) >> 32n).toBe(BigInt(v));
  });
  it("puts the lane in the free bytes of each layout, as the module's _isLane computes it", () => {
    const lane = 0xbeef;
    const V = BigInt(v);
    expect(validatorNonceKey('kernel', v, lane)).toBe((1n << 176n) | (V << 16n) | BigInt(lane));
    expect(validatorNonceKey('nexus', v, lane)).toBe((BigInt(lane) << 168n) | V);
    expect(validatorNonceKey('safe', v, lane)).toBe((V << 32n) | BigInt(lane));
    expect(hex(validatorNonceKey('kernel', v, lane))).toBe(`0x0001${lv}beef`);
    expect(hex(validatorNonceKey('nexus', v, lane))).toBe(`0x00beef00${lv}`);
    expect(hex(validatorNonceKey('safe', v, lane))).toBe(`0x${lv}0000beef`);
  });
  it('refuses a lane that is not a uint16', () => {
    expect(() => validatorNonceKey('safe', v, 0x10000)).toThrow(RangeError);
    expect(() => validatorNonceKey('safe', v, -1)).toThrow(RangeError);
  });
});

describe('laneOf', () => {
  it('is the low 16 bits of the keyId', () => {
    const keyId = (0x1234n << 160n) | 0xabcdef01n;
    expect(laneOf(keyId)).toBe(0xef01);
    expect(laneNonceKey('kernel', v, keyId)).toBe(validatorNonceKey('kernel', v, 0xef01));
  });
});

describe('nonceKeyRoutesTo', () => {
  const other = '0x00000000000000000000000000000000000000aa';
  it("is true for the module's lanes in each layout", () => {
    for (const kind of ['kernel', 'nexus', 'safe'] as const) {
      expect(nonceKeyRoutesTo(laneNonceKey(kind, v, 0x1234n), v)).toBe(true);
      expect(nonceKeyRoutesTo(validatorNonceKey(kind, v), v)).toBe(true);
    }
  });
  it("is false for another validator's key, the root's (0) and an owner's key on Nexus", () => {
    for (const kind of ['kernel', 'nexus', 'safe'] as const) expect(nonceKeyRoutesTo(laneNonceKey(kind, other, 7n), v)).toBe(false);
    expect(nonceKeyRoutesTo(0n, v)).toBe(false);
    // Kernel's layout with another mode byte (enable mode) is not a plain route to the module.
    expect(nonceKeyRoutesTo(validatorNonceKey('kernel', v) | (1n << 184n), v)).toBe(false);
  });
});
