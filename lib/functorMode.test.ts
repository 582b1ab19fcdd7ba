import { describe, expect, it } from 'vitest';
import { decodeAbiParameters, decodeFunctionData, keccak256, parseAbi, slice, stringToHex, toHex } from 'viem';
import { encodeFunctorExecute, FUNCTOR_MODE_SELECTOR } from './functorMode.js';

const executeAbi = parseAbi(['function execute(bytes32 mode, bytes executionCalldata)']);
const usdc = '0x96c97b3f2b71838E6A10c58153aB178bE7cBD8c6' as const;
const keyId = (1n << 175n) + 12345n; // a full-width uint176

describe('encodeFunctorExecute', () => {
  it('uses the mode selector of FunctorMode.sol: bytes4(keccak256("functor.keyId.v1"))', () => {
    expect(FUNCTOR_MODE_SELECTOR).toBe(slice(keccak256(stringToHex('functor.keyId.v1')), 0, 4));
  });

  it('puts call type, exec type, selector and keyId where the validator reads them (single call)', () => {
    const data = encodeFunctorExecute(keyId, [{ to: usdc, data: '0xa9059cbb' }]);
    const { args } = decodeFunctionData({ abi: executeAbi, data });
    const mode = args[0];
    expect(slice(mode, 0, 1)).toBe('0x00'); // single
    expect(slice(mode, 1, 2)).toBe('0x00'); // default exec type (revert on failure)
    expect(slice(mode, 2, 6)).toBe('0x00000000');
    expect(slice(mode, 6, 10)).toBe(FUNCTOR_MODE_SELECTOR);
    expect(BigInt(slice(mode, 10, 32))).toBe(keyId);
    expect(args[1].toLowerCase()).toBe(`${usdc}${toHex(0n, { size: 32 }).slice(2)}a9059cbb`.toLowerCase());
  });

  it('encodes several calls as a canonical ERC-7579 batch', () => {
    const calls = [
      { to: usdc, value: 0n, data: '0xa9059cbb' as const },
      { to: usdc, value: 5n, data: '0x' as const },
    ];
    const { args } = decodeFunctionData({ abi: executeAbi, data: encodeFunctorExecute(keyId, calls) });
    expect(slice(args[0], 0, 1)).toBe('0x01');
    const [decoded] = decodeAbiParameters(
      [
        {
          type: 'tuple[]',
          components: [
            { name: 'target', type: 'address' },
            { name: 'value', type: 'uint256' },
            { name: 'callData', type: 'bytes' },
          ],
        },
      ],
      args[1],
    );
    expect(decoded.map((c) => [c.target, c.value, c.callData])).toEqual(calls.map((c) => [c.to, c.value, c.data]));
  });

  it('refuses an empty call list', () => {
    expect(() => encodeFunctorExecute(keyId, [])).toThrow('no calls');
  });
});
