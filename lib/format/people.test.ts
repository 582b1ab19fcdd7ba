import { describe, expect, test } from 'vitest';
import { addressForPeople, amountForPeople, timeForPeople } from './people.js';

describe('amountForPeople', () => {
  test('at most four decimals, the exact amount kept', () => {
    expect(amountForPeople(999_465_738_749_434_232n, 18, 'ETH')).toEqual({ short: '0.9995 ETH', full: '0.999465738749434232 ETH' });
    expect(amountForPeople(1_234_567_891n, 6, 'USDC')).toEqual({ short: '1,234.5679 USDC', full: '1234.567891 USDC' });
    expect(amountForPeople(100_000_000n, 6, 'USDC').short).toBe('100 USDC');
    expect(amountForPeople(0n, 18, 'ETH').short).toBe('0 ETH');
  });
  test('small amounts keep four significant digits; dust is not shown as 0', () => {
    expect(amountForPeople(12_345_678_900_000n, 18, 'ETH').short).toBe('0.00001235 ETH');
    expect(amountForPeople(1n, 18, 'ETH')).toEqual({ short: '0.000000000000000001 ETH', full: '0.000000000000000001 ETH' });
  });
});

describe('timeForPeople', () => {
  const NOW = 1_800_000_000;
  test('future and past in the largest whole unit, the date kept', () => {
    expect(timeForPeople(NOW + 3 * 86_400, NOW)).toEqual({ short: 'in 3 days', full: '2027-01-18 08:00 UTC' });
    expect(timeForPeople(NOW - 2 * 3_600, NOW).short).toBe('2 hours ago');
    expect(timeForPeople(NOW + 90, NOW).short).toBe('in 2 minutes');
    expect(timeForPeople(NOW + 86_400, NOW).short).toBe('tomorrow');
    expect(timeForPeople(NOW, NOW).short).toBe('now');
  });
});

describe('addressForPeople', () => {
  test('first and last four hex digits, the whole address kept', () => {
    const a = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
    expect(addressForPeople(a)).toEqual({ short: '0xf39F…2266', full: a });
  });
});
