import { parseGwei } from 'viem';
import { describe, expect, test } from 'vitest';
import { MAX_FEE_PER_GAS, MAX_UINT72 } from './constants.js';
import { DEFAULT_MAX_OPS, defaultMaxOps, gasDefaultsFor, MIN_FEE_PER_GAS, OP_GAS } from './gasDefaults.js';
import { parsePermission } from './types.js';

const NOW = 1_795_342_800;
const DAY = 86_400;

describe('gasDefaultsFor', () => {
  test('3x the chain fee, the kind gas budget at that fee, 100 ops', () => {
    expect(gasDefaultsFor({ chainFeePerGas: parseGwei('10'), kind: 'nexus', calls: 1, now: NOW })).toStrictEqual({
      maxFeePerGas: parseGwei('30'),
      maxCostPerOp: parseGwei('30') * 1_000_000n,
      maxOps: 100,
    });
    expect(gasDefaultsFor({ chainFeePerGas: parseGwei('10'), kind: 'kernel', calls: 1, now: NOW }).maxCostPerOp).toBe(parseGwei('30') * 1_200_000n);
  });

  test('Kernel needs the most (the account gives its call gas, not the bundler); unknown kinds take the largest', () => {
    expect(OP_GAS.kernel).toBeGreaterThan(OP_GAS.safe);
    expect(OP_GAS.safe).toBeGreaterThan(OP_GAS.nexus);
    const all = gasDefaultsFor({ chainFeePerGas: parseGwei('1'), calls: 1, now: NOW });
    expect(all.maxCostPerOp).toBe(all.maxFeePerGas * OP_GAS.kernel);
    const two = gasDefaultsFor({ chainFeePerGas: parseGwei('1'), kind: ['nexus', 'safe'], calls: 1, now: NOW });
    expect(two.maxCostPerOp).toBe(two.maxFeePerGas * OP_GAS.safe);
  });

  test('the forced limits of the tests (400k + 600k + 100k) fit every kind at the cap fee', () => {
    for (const kind of ['kernel', 'nexus', 'safe'] as const) {
      const g = gasDefaultsFor({ chainFeePerGas: parseGwei('1'), kind: kind, calls: 1, now: NOW });
      expect(1_100_000n * g.maxFeePerGas).toBeLessThanOrEqual((g.maxCostPerOp * 11n) / 10n);
      // At the bundler's fee (below the cap), with room to spare.
      expect(1_100_000n * parseGwei('2')).toBeLessThanOrEqual(g.maxCostPerOp);
    }
  });

  test('25k gas more per listed call beyond the first', () => {
    const one = gasDefaultsFor({ chainFeePerGas: parseGwei('1'), kind: 'nexus', calls: 1, now: NOW });
    const five = gasDefaultsFor({ chainFeePerGas: parseGwei('1'), kind: 'nexus', calls: 5, now: NOW });
    expect(five.maxCostPerOp - one.maxCostPerOp).toBe(one.maxFeePerGas * 100_000n);
    expect(gasDefaultsFor({ chainFeePerGas: parseGwei('1'), kind: 'nexus', calls: 0, now: NOW })).toStrictEqual(one);
  });

  test('a floor for chains quoting ~0, and the onchain widths as ceilings', () => {
    expect(gasDefaultsFor({ chainFeePerGas: 0n, calls: 1, now: NOW }).maxFeePerGas).toBe(MIN_FEE_PER_GAS);
    expect(gasDefaultsFor({ chainFeePerGas: 1_000n, calls: 1, now: NOW }).maxFeePerGas).toBe(MIN_FEE_PER_GAS);
    const huge = gasDefaultsFor({ chainFeePerGas: 2n ** 60n, calls: 32, now: NOW });
    expect(huge.maxFeePerGas).toBe(MAX_FEE_PER_GAS);
    // Even then the per-op cap fits the uint72 (2^48 x ~2M gas < 2^72).
    expect(huge.maxCostPerOp).toBe(MAX_FEE_PER_GAS * (OP_GAS.kernel + 31n * 25_000n));
    expect(huge.maxCostPerOp).toBeLessThan(MAX_UINT72);
    expect(() => gasDefaultsFor({ chainFeePerGas: -1n, calls: 1, now: NOW })).toThrow(RangeError);
  });

  test('what it gives passes the schema', () => {
    const gas = gasDefaultsFor({ chainFeePerGas: parseGwei('0.05'), calls: 3, now: NOW });
    expect(() => parsePermission({ calls: [], spend: [], gas })).not.toThrow();
  });
});

describe('defaultMaxOps', () => {
  test('100 without a rate limit or without an expiry', () => {
    expect(defaultMaxOps({ now: NOW })).toBe(DEFAULT_MAX_OPS);
    expect(defaultMaxOps({ now: NOW, rate: { maxCalls: 1, seconds: DAY } })).toBe(100);
    expect(defaultMaxOps({ now: NOW, expiry: NOW + DAY })).toBe(100);
  });

  test('what the rate allows over the key lifetime when that is fewer', () => {
    // 2 a day for 7 days: 14.
    expect(defaultMaxOps({ now: NOW, rate: { maxCalls: 2, seconds: DAY }, expiry: NOW + 7 * DAY })).toBe(14);
    // A partial window counts whole: 1 an hour over 90 minutes is 2.
    expect(defaultMaxOps({ now: NOW, rate: { maxCalls: 1, seconds: 3600 }, expiry: NOW + 5400 })).toBe(2);
    // Counted from validAfter when later than now.
    expect(defaultMaxOps({ now: NOW, validAfter: NOW + 6 * DAY, rate: { maxCalls: 2, seconds: DAY }, expiry: NOW + 7 * DAY })).toBe(2);
    // Plenty: capped at 100.
    expect(defaultMaxOps({ now: NOW, rate: { maxCalls: 10, seconds: 3600 }, expiry: NOW + DAY })).toBe(100);
    // Already expired: still 1 (the schema refuses 0; the expiry stops it anyway).
    expect(defaultMaxOps({ now: NOW, rate: { maxCalls: 1, seconds: DAY }, expiry: NOW - 1 })).toBe(1);
  });
});
