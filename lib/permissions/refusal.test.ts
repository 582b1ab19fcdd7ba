import { describe, expect, it } from 'vitest';
import { encodeErrorResult } from 'viem';
import { functorPolicyHookAbi } from '../abi/generated.js';
import { decodeRefusal, describeRefusal } from './refusal.js';

const usdc = '0x96c97b3f2b71838E6A10c58153aB178bE7cBD8c6' as const;
const spendErr = encodeErrorResult({
  abi: functorPolicyHookAbi,
  errorName: 'SpendLimitExceeded',
  args: [7n, usdc, 90_000_000n, 20_000_000n, 100_000_000n],
});

describe('decodeRefusal', () => {
  it('decodes a refusal in (simulated) execution from the bundler', () => {
    const r = decodeRefusal(new Error(`UserOperation reverted during simulation with reason: ${spendErr}`));
    expect(r.error).toBe('SpendLimitExceeded');
    expect(r.stage).toBe('execution');
    expect(r.args).toEqual([7n, usdc, 90_000_000n, 20_000_000n, 100_000_000n]);
    expect(describeRefusal(r, { [usdc.toLowerCase()]: { symbol: 'USDC', decimals: 6 } })).toBe('spend limit: 90/100 USDC used in the window, asked 20');
  });

  it('decodes a refusal in validation (AA23 wraps the validator revert)', () => {
    const data = encodeErrorResult({ abi: functorPolicyHookAbi, errorName: 'KeyNotActive', args: [7n, 2] });
    const r = decodeRefusal(new Error(`UserOperation reverted during simulation with reason: AA23 reverted ${data}`));
    expect(r).toMatchObject({ error: 'KeyNotActive', stage: 'validation', args: [7n, 2] });
    expect(describeRefusal(r)).toBe('key not active on this account (revoked)');
  });

  it("names Safe7579's opaque ExecutionFailed, and keeps the raw text of anything else", () => {
    expect(decodeRefusal(new Error('reverted with reason: 0xacfdb444')).error).toBe('ExecutionFailed');
    const r = decodeRefusal(new Error('AA24 signature error'));
    expect(r).toMatchObject({ error: 'Unknown', stage: 'validation', raw: 'AA24 signature error' });
  });
});

describe('describeRefusal: the op bound, lanes, rotated signers and module targets in words', () => {
  const validation = (abi: typeof functorPolicyHookAbi, errorName: string, args: unknown[]) =>
    decodeRefusal(new Error(`AA23 reverted ${encodeErrorResult({ abi, errorName, args } as never)}`));

  it("OpCeilingReached and WrongNonceKey (the module's validation)", () => {
    const r = validation(functorPolicyHookAbi, 'OpCeilingReached', [100n, 100n]);
    expect(r).toMatchObject({ error: 'OpCeilingReached', stage: 'validation' });
    expect(describeRefusal(r)).toBe('op limit reached: operation 100 of at most 100 on this account (the owner can allow more)');
    const w = validation(functorPolicyHookAbi, 'WrongNonceKey', [0xabcdn]);
    expect(describeRefusal(w)).toMatch(/^wrong nonce key 0xabcd: a key's ops must use its own lane/);
  });

  it('gas caps in gwei and ETH', () => {
    expect(describeRefusal(validation(functorPolicyHookAbi, 'GasFeeTooHigh', [7_000_000_000n, 6_000_000_000n]))).toBe(
      'gas policy: a fee of 7 gwei per gas is above the cap of 6',
    );
    expect(describeRefusal(validation(functorPolicyHookAbi, 'OpCostTooHigh', [10n ** 16n, 5n * 10n ** 15n]))).toBe(
      'gas policy: the op may cost 0.01 ETH, above the cap of 0.005 per operation',
    );
  });

  it('SignerNotAuthorized, KeyedOpPending, InvalidPolicy, ForbiddenTarget (FunctorPolicyHook)', () => {
    const signer = `0x${'11'.repeat(32)}` as const;
    expect(describeRefusal(validation(functorPolicyHookAbi, 'SignerNotAuthorized', [7n, signer]))).toBe(
      `signer ${signer} is not the key's signer any more (rotated out)`,
    );
    expect(describeRefusal(validation(functorPolicyHookAbi, 'KeyedOpPending', [usdc]))).toMatch(/pending in the same bundle/);
    expect(describeRefusal(validation(functorPolicyHookAbi, 'InvalidPolicy', ['any target with a management selector']))).toBe(
      'policy refused: any target with a management selector',
    );
    expect(describeRefusal(validation(functorPolicyHookAbi, 'ForbiddenTarget', [usdc]))).toMatch(/a module or the account's machinery/);
  });

  it('NotInstalled and NoPolicies (the module uninstalled, or the key never granted there)', () => {
    const r = validation(functorPolicyHookAbi, 'NotInstalled', [usdc]);
    expect(r).toMatchObject({ error: 'NotInstalled', stage: 'validation' });
    expect(describeRefusal(r)).toMatch(new RegExp(`^Functor is not installed on ${usdc} `));
    expect(describeRefusal(validation(functorPolicyHookAbi, 'NoPolicies', [7n, usdc]))).toBe(
      `the key has no policies on ${usdc}: the owner has to grant it again`,
    );
  });
});

describe('describeRefusal: argument conditions', () => {
  const refused = (errorName: string, args: unknown[]) =>
    describeRefusal(decodeRefusal(new Error(`AA23 reverted ${encodeErrorResult({ abi: functorPolicyHookAbi, errorName, args } as never)}`)));
  const mallory = '0x0000000000000000000000000000000003a11041';
  const word = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}` as const;

  it('names the recipient a transfer may not pay, the spender an approve may not name, the amount over the cap', () => {
    expect(refused('ArgumentNotAllowed', [7n, usdc, '0xa9059cbb', 0n, word(BigInt(mallory))])).toBe(`recipient ${mallory} is not one this key may pay`);
    expect(refused('ArgumentNotAllowed', [7n, usdc, '0x095ea7b3', 0n, word(BigInt(mallory))])).toBe(`spender ${mallory} is not one this key may approve`);
    expect(refused('ArgumentNotAllowed', [7n, usdc, '0xa9059cbb', 1n, word(31_000_000n)])).toBe(
      `amount 31000000 is outside what this key may send in one call to ${usdc}`,
    );
  });

  it('an address word with dirty upper bits, another selector, a missing argument', () => {
    const dirty = word((1n << 200n) | BigInt(mallory));
    expect(refused('ArgumentNotAllowed', [7n, usdc, '0xa9059cbb', 0n, dirty])).toBe(
      `argument 0 of 0xa9059cbb on ${usdc} (${dirty}) is outside the key's conditions`,
    );
    expect(refused('ArgumentNotAllowed', [7n, usdc, '0x12345678', 2n, word(5n)])).toBe(
      `argument 2 of 0x12345678 on ${usdc} (${word(5n)}) is outside the key's conditions`,
    );
    expect(refused('ArgumentMissing', [7n, usdc, '0xa9059cbb', 1n])).toBe(
      `argument 1 of 0xa9059cbb on ${usdc} is missing: the call is too short for the key's condition on it`,
    );
  });
});
