import { describe, expect, it } from 'vitest';
import { toHex } from 'viem';
import { validatorNonceKey } from './nonceKey.js';

const v = '0x43F6aa86fbFfbEC0d2e11fb4d8238aEBC24Fb8c1';
const hex = (k: bigint) => toHex(k, { size: 24 }).toLowerCase();

describe('validatorNonceKey', () => {
  it('Kernel v3: mode 0x00, type 0x01 (validator), validator, 2-byte key', () => {
    expect(hex(validatorNonceKey('kernel', v))).toBe(`0x0001${v.slice(2).toLowerCase()}0000`);
  });
  it('Nexus: 3-byte key, mode 0x00, validator', () => {
    expect(hex(validatorNonceKey('nexus', v))).toBe(`0x00000000${v.slice(2).toLowerCase()}`);
  });
  it('Safe7579: validator in the top 20 bytes of the key', () => {
    expect(hex(validatorNonceKey('safe', v))).toBe(`0x${v.slice(2).toLowerCase()}00000000`);
    expect(validatorNonceKey('safe', v) >> 32n).toBe(BigInt(v));
  });
});
