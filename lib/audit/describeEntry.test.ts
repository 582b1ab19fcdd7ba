import { encodeFunctionData, erc20Abi, parseEther } from 'viem';
import { describe, expect, test } from 'vitest';
import { describeCall, describeEntry, signerLabel } from './describeEntry.js';
import { blockedEntry, RECIPIENT, SIGNER, transferEntry, USDC, usdcTokens } from './testing.js';

describe('describeEntry', () => {
  test('a transfer with its calldata: amount, token and recipient', () => {
    const w = describeEntry(transferEntry(0), usdcTokens);
    expect(w.title).toBe('transfer 640 USDC to 0x2222…2222');
    expect(w.details).toEqual(['640 USDC counted (640 / 1,000 USDC used in the window)']);
  });

  test('recipient named when the user named it', () => {
    const w = describeEntry(transferEntry(0), usdcTokens, { targets: { [RECIPIENT.toLowerCase()]: 'Alice' } });
    expect(w.title).toBe('transfer 640 USDC to Alice');
  });

  test('without calldata (the event has none): the function and the token, and what was counted', () => {
    const w = describeEntry(transferEntry(0, { withData: false }), usdcTokens);
    expect(w.title).toBe('transfer on USDC');
    expect(w.details[0]).toMatch(/^640 USDC counted/);
  });

  test('a blocked attempt says which policy refused and why', () => {
    expect(describeEntry(blockedEntry(1), usdcTokens).title).toBe('Blocked in execution: spend limit: 900/1000 USDC used in the window, asked 200');
  });

  test('approve, transferFrom, plain value, unknown selector, a batch', () => {
    const approve = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [RECIPIENT, 5_000_000n] });
    expect(describeCall({ target: USDC, selector: '0x095ea7b3', value: 0n, data: approve }, usdcTokens)).toBe('approve 0x2222…2222 to spend 5 USDC');
    const from = encodeFunctionData({ abi: erc20Abi, functionName: 'transferFrom', args: [RECIPIENT, USDC, 1n] });
    expect(describeCall({ target: USDC, selector: '0x23b872dd', value: 0n, data: from }, usdcTokens)).toBe(
      'transferFrom 0.000001 USDC from 0x2222…2222 to USDC',
    );
    expect(describeCall({ target: RECIPIENT, selector: '0x00000000', value: parseEther('1.5') })).toBe('send 1.5 ETH to 0x2222…2222');
    expect(describeCall({ target: RECIPIENT, selector: '0xdeadbeef', value: parseEther('0.1') })).toBe('0xdeadbeef on 0x2222…2222, with 0.1 ETH');
    const batch = transferEntry(0);
    if (batch.kind !== 'executed') throw new Error('fixture');
    const two = { ...batch, calls: [batch.calls[0]!, { target: RECIPIENT, selector: '0x00000000' as const, value: 1n }] };
    expect(describeEntry(two, usdcTokens).title).toBe('2 calls: transfer 640 USDC to 0x2222…2222; send 0.000000000000000001 ETH to 0x2222…2222');
  });

  test('signer: a short id, or the name given', () => {
    expect(signerLabel(SIGNER)).toBe('0x0000…3333');
    expect(signerLabel(SIGNER, { [SIGNER]: 'laptop agent' })).toBe('laptop agent');
  });
});
