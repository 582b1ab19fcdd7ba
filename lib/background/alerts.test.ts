import { describe, expect, test } from 'vitest';
import type { KeyView } from '../protocol/views.js';
import { alertsFor, keyOfBlocked, type BlockedAttempt } from './alerts.js';

const USDC = '0x00000000000000000000000000000000000000c0';
const account = '0x00000000000000000000000000000000000000a1' as const;
const NOW = 1_800_000_000;

function key(p: { used?: bigint; limit?: bigint; expiry?: number; revoked?: boolean; rate?: { used: bigint; max: bigint } } = {}): KeyView {
  const permission = { calls: [], spend: [], gas: { maxOps: 1, maxCostPerOp: 0n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n } } as unknown as NonNullable<
    KeyView['accounts'][number]['permission']
  >;
  return {
    keyId: 7n,
    name: 'trader',
    controller: account,
    revoked: !!p.revoked,
    registeredAt: 0,
    signers: [],
    ...(p.expiry !== undefined && { expiry: p.expiry }),
    accounts: [
      {
        networkId: 'dev',
        chain: 'Local devnet',
        keyId: 7n,
        kind: 'kernel',
        name: 'Kernel',
        address: account,
        lines: [],
        permission,
        spends: [
          { token: USDC, used: p.used ?? 0n, limit: p.limit ?? 100_000_000n, period: { kind: 'fixed', seconds: 86_400, start: 0 }, resetsAt: NOW + 3600 },
        ],
        ...(p.rate && { rate: { ...p.rate, seconds: 3600 } }),
      },
    ],
    chains: [{ networkId: 'dev', name: 'Local devnet', chainId: 31337, keyId: 7n, revoked: !!p.revoked }],
    lastActivity: 0,
    tokens: { [USDC]: { symbol: 'USDC', decimals: 6 } },
  };
}

describe('alertsFor', () => {
  test('a spend past 80% of its limit in the window: one alert, in token units, told once per window', () => {
    expect(alertsFor([key({ used: 79_999_999n })], NOW)).toEqual([]);
    const [a] = alertsFor([key({ used: 85_000_000n })], NOW);
    expect(a).toMatchObject({
      networkId: 'dev',
      keyId: '7',
      title: 'trader has used 85% of a limit',
      message: expect.stringContaining('85 USDC of 100 USDC on Kernel (Local devnet)'),
    });
    expect(alertsFor([key({ used: 90_000_000n })], NOW, new Set([a!.id]))).toEqual([]);
    // The next period (a new resetsAt) alerts again.
    const next = key({ used: 90_000_000n });
    next.accounts[0]!.spends[0]!.resetsAt += 86_400;
    expect(alertsFor([next], NOW, new Set([a!.id]))).toHaveLength(1);
  });

  test('operations past 80% of the rate limit', () => {
    expect(alertsFor([key({ rate: { used: 7n, max: 10n } })], NOW)).toEqual([]);
    expect(alertsFor([key({ rate: { used: 8n, max: 10n } })], NOW)[0]).toMatchObject({ title: 'trader has used 80% of its operations' });
  });

  test('an expiry within a day, not one further off or past; nothing for a revoked key', () => {
    expect(alertsFor([key({ expiry: NOW + 5 * 3600 })], NOW)[0]).toMatchObject({ title: 'trader expires in 5 hours' });
    expect(alertsFor([key({ expiry: NOW + 2 * 86_400 })], NOW)).toEqual([]);
    expect(alertsFor([key({ expiry: NOW - 10 })], NOW)).toEqual([]);
    expect(alertsFor([key({ expiry: NOW + 3600, used: 99_000_000n, revoked: true })], NOW)).toEqual([]);
  });
});

describe('alertsFor: blocked attempts', () => {
  const payee = '0x00000000000000000000000000000000000000b2';
  const stranger = '0x00000000000000000000000000000000000000e5';
  const transfer = '0xa9059cbb';
  const blocked = (
    p: { args?: readonly unknown[]; error?: string; account?: `0x${string}`; networkId?: string; userOpHash?: `0x${string}` } = {},
  ): BlockedAttempt => ({
    kind: 'blocked',
    networkId: p.networkId ?? 'dev',
    blockNumber: 12n,
    transactionHash: `0x${'11'.repeat(32)}`,
    logIndex: 3,
    account: p.account ?? account,
    userOpHash: p.userOpHash ?? `0x${'22'.repeat(32)}`,
    refusal: {
      error: p.error ?? 'ArgumentNotAllowed',
      args: p.args ?? [7n, USDC, transfer, 0n, `0x${stranger.slice(2).padStart(64, '0')}`],
      stage: 'execution',
      raw: '',
    },
  });

  test('a blocked attempt by the key: an alert in the refusal’s words that opens the key, told once', () => {
    const [a, ...rest] = alertsFor([key()], NOW, new Set(), [blocked()]);
    expect(rest).toEqual([]);
    expect(a).toEqual({
      networkId: 'dev',
      keyId: '7',
      id: `dev:7:blocked:0x${'22'.repeat(32)}`,
      title: 'Functor blocked trader',
      message: `Recipient ${stranger} is not one this key may pay (Kernel, Local devnet). Open Functor to see the key.`,
    });
    expect(alertsFor([key()], NOW, new Set([a!.id]), [blocked()])).toEqual([]);
    // Another blocked op of the same key is news.
    expect(alertsFor([key()], NOW, new Set([a!.id]), [blocked({ userOpHash: `0x${'33'.repeat(32)}` })])).toHaveLength(1);
  });

  test('amounts in the token’s units; a refusal without a keyId goes to the account’s only key', () => {
    const [spend] = alertsFor([key()], NOW, new Set(), [blocked({ error: 'SpendLimitExceeded', args: [7n, USDC, 90_000_000n, 20_000_000n, 100_000_000n] })]);
    expect(spend!.message).toMatch(/^Spend limit: 90\/100 USDC used in the window, asked 20 \(Kernel, Local devnet\)/);
    const [hidden] = alertsFor([key()], NOW, new Set(), [blocked({ error: 'ExecutionFailed', args: [] })]);
    expect(hidden).toMatchObject({ keyId: '7', title: 'Functor blocked trader' });
  });

  test('nothing for an attempt of another key, account or network', () => {
    expect(alertsFor([key()], NOW, new Set(), [blocked({ args: [8n, USDC, transfer, 0n, `0x${'00'.repeat(32)}`] })])).toEqual([]);
    expect(alertsFor([key()], NOW, new Set(), [blocked({ account: stranger })])).toEqual([]);
    expect(alertsFor([key()], NOW, new Set(), [blocked({ networkId: 'sepolia' })])).toEqual([]);
    expect(keyOfBlocked([key()], blocked({ account: stranger }))).toBeUndefined();
  });
});
