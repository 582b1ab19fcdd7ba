import { expect, test } from 'vitest';
import type { PermissionView } from '@/lib/protocol/views';
import { connectSentence, dayOf, grouped, perPeriod, permissionSentence } from './sentence';

const NOW = 1_796_256_000; // 2026-12-03 00:00 UTC
const usdcDaily = (over: Partial<PermissionView> = {}): PermissionView => ({
  type: 'erc20-token-periodic',
  to: '0x00000000000000000000000000000000000000b0',
  lines: [],
  warnings: [],
  notes: [],
  adjustable: false,
  spends: [
    { index: 0, token: '0xusdc', symbol: 'USDC', decimals: 6, limit: '100000000', formatted: '100', period: 'Fixed periods of 24 hours', seconds: 86_400 },
  ],
  expiry: NOW + 7 * 86_400,
  ...over,
});

test('one sentence: the site, the amount per period, the accounts, the end', () => {
  expect(permissionSentence({ origin: 'http://127.0.0.1:5173', permission: usdcDaily(), accounts: ['Kernel'], nowS: NOW })).toBe(
    "127.0.0.1:5173's agent may spend up to 100 USDC a day from your Kernel account until 10 Dec.",
  );
});

test('several accounts, several limits, no expiry, next year', () => {
  const p = usdcDaily({
    spends: [
      usdcDaily().spends[0]!,
      { index: 1, token: 'native', symbol: 'ETH', decimals: 18, limit: '500000000000000000', formatted: '0.5', period: '', seconds: 7 * 86_400 },
    ],
    expiry: undefined,
  });
  expect(permissionSentence({ origin: 'https://example.org', permission: p, accounts: ['Kernel', 'Nexus', 'Safe'], nowS: NOW })).toBe(
    "example.org's agent may spend up to 100 USDC a day and 0.5 ETH a week from your Kernel, Nexus and Safe accounts with no end date.",
  );
  expect(dayOf(NOW + 40 * 86_400, NOW)).toBe('12 Jan 2027');
});

test('no spend limit: it may act, within the rules below', () => {
  expect(permissionSentence({ origin: 'https://a.example', permission: usdcDaily({ spends: [] }), accounts: ['Safe'], nowS: NOW })).toBe(
    "a.example's agent may act from your Safe account until 10 Dec.",
  );
});

test('periods in words', () => {
  expect([3_600, 86_400, 604_800, 30 * 86_400, 6 * 3_600, 90].map(perPeriod)).toEqual([
    'an hour',
    'a day',
    'a week',
    'every 30 days',
    'every 6 hours',
    'every 2 minutes',
  ]);
});

test('amounts exact, as the figure shows them, the whole part grouped', () => {
  expect(['100', '1000000', '1234567.891', '0.000001'].map(grouped)).toEqual(['100', '1,000,000', '1,234,567.891', '0.000001']);
});

test('a connection in one sentence: the accounts it will see, and that it moves nothing alone', () => {
  expect(connectSentence({ origin: 'https://example.org', accounts: ['Kernel'] })).toBe(
    'example.org will see the address of your Kernel account and may ask you to approve requests; it cannot move anything without your approval.',
  );
  expect(connectSentence({ origin: 'https://example.org', accounts: ['Kernel', 'Safe'] })).toContain('your Kernel and Safe accounts');
});
