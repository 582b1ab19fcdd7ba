import { describe, expect, it } from 'vitest';
import { encodeErrorResult } from 'viem';
import { functorPolicyHookAbi, functorValidatorAbi } from '../abi/generated.js';
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
    expect(describeRefusal(r, { [usdc.toLowerCase()]: { symbol: 'USDC', decimals: 6 } })).toBe(
      'spend limit: 90/100 USDC used in the window, asked 20',
    );
  });

  it('decodes a refusal in validation (AA23 wraps the validator revert)', () => {
    const data = encodeErrorResult({ abi: functorValidatorAbi, errorName: 'KeyNotActive', args: [7n, 2] });
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
