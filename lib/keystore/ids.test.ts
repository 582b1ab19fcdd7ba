import { describe, expect, it } from 'vitest';
import { encodeAbiParameters, keccak256 } from 'viem';
import { ecdsaSignerId, keyIdFor, p256SignerId } from './ids.js';

describe('KeyStore ids', () => {
  it('keyIdFor is the low 176 bits of keccak256(abi.encode(registrant, salt))', () => {
    const registrant = '0x9335794B52e232f3FE2B83Dd53b17896140543f7';
    const salt = `0x${'11'.repeat(32)}` as const;
    const h = BigInt(keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'bytes32' }], [registrant, salt])));
    expect(keyIdFor(registrant, salt)).toBe(h & ((1n << 176n) - 1n));
    expect(keyIdFor(registrant, salt)).toBeLessThan(1n << 176n);
  });
  it('a secp256k1 signer id is its address left-padded; a P-256 one hashes (x, y)', () => {
    expect(ecdsaSignerId('0x00000000000000000000000000000000000000aa')).toBe(`0x${'0'.repeat(62)}aa`);
    const x = `0x${'01'.repeat(32)}` as const;
    const y = `0x${'02'.repeat(32)}` as const;
    expect(p256SignerId(x, y)).toBe(keccak256(`0x${'01'.repeat(32)}${'02'.repeat(32)}`));
  });
});
