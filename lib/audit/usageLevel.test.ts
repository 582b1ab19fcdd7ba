import { describe, expect, test } from 'vitest';
import { usageFraction, usageLevel } from './usageLevel.js';

describe('usageLevel', () => {
  test('ok below 80%, near from 80%, full at and past the limit', () => {
    expect(usageLevel(799n, 1000n)).toBe('ok');
    expect(usageLevel(800n, 1000n)).toBe('near');
    expect(usageLevel(999n, 1000n)).toBe('near');
    expect(usageLevel(1000n, 1000n)).toBe('full');
    expect(usageLevel(1500n, 1000n)).toBe('full');
  });
  test('a limit of 0 is full: nothing may be spent', () => {
    expect(usageLevel(0n, 0n)).toBe('full');
  });
  test('exact on amounts past a float', () => {
    const limit = 10n ** 30n;
    expect(usageLevel((limit * 8n) / 10n - 1n, limit)).toBe('ok');
  });
});

describe('usageFraction', () => {
  test('clamped to [0, 1]', () => {
    expect(usageFraction(640n, 1000n)).toBe(0.64);
    expect(usageFraction(0n, 1000n)).toBe(0);
    expect(usageFraction(2000n, 1000n)).toBe(1);
    expect(usageFraction(0n, 0n)).toBe(1);
  });
});
