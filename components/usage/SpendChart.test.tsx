// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { transferEntry, USDC } from '@/lib/audit/testing';
import { SpendChart } from './SpendChart';

afterEach(cleanup);

const DAY = 86_400;
const MIDNIGHT = 1_795_305_600; // 2026-11-22 00:00 UTC
const entries = [
  transferEntry(0, { amount: 400_000_000n, blockNumber: 1n }),
  transferEntry(1, { amount: 240_000_000n, blockNumber: 2n }),
  transferEntry(2, { amount: 100_000_000n, blockNumber: 3n }),
];
const timestamps = new Map([
  [1n, MIDNIGHT + 60],
  [2n, MIDNIGHT - 2 * DAY],
  [3n, MIDNIGHT - 20 * DAY],
]);
const props = { entries, token: USDC, tokenInfo: { symbol: 'USDC', decimals: 6 }, timestamps, now: MIDNIGHT + 3600 };

describe('SpendChart', () => {
  test('7 days: one bar a day, heights to scale, a label that tells the story', () => {
    render(<SpendChart {...props} />);
    const chart = screen.getByRole('img');
    expect(chart.getAttribute('aria-label')).toBe('USDC spent per day, last 7 days: 640 USDC in total, most on 2026-11-22 (400 USDC)');
    const bars = chart.querySelectorAll('rect');
    expect(bars).toHaveLength(7);
    expect(bars[6]!.getAttribute('height')).toBe('60');
    expect(bars[4]!.getAttribute('height')).toBe('36'); // 240 / 400 of 60
    expect(bars[0]!.getAttribute('height')).toBe('0');
    expect(bars[4]!.querySelector('title')!.textContent).toBe('2026-11-20: 240 USDC');
    expect(screen.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).toBe('true');
  });

  test('the toggle switches to 30 days, reaching older spend', () => {
    render(<SpendChart {...props} />);
    fireEvent.click(screen.getByRole('button', { name: '30 days' }));
    const chart = screen.getByRole('img');
    expect(chart.querySelectorAll('rect')).toHaveLength(30);
    expect(chart.getAttribute('aria-label')).toMatch(/^USDC spent per day, last 30 days: 740 USDC in total/);
    expect(screen.getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true');
  });

  test('no spend: flat, and says so; undated spends are owned up to', () => {
    render(<SpendChart {...props} timestamps={new Map([[1n, MIDNIGHT]])} entries={[entries[1]!]} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('USDC spent per day, last 7 days: 0 USDC in total; 1 spend of unknown date left out');
  });

  test('a per-day limit is drawn as a line, the scale reaches it, the label says it; axes name the top and the days', () => {
    render(<SpendChart {...props} limit={{ amount: 500_000_000n, periodSeconds: DAY }} />);
    const chart = screen.getByRole('img');
    expect(chart.getAttribute('aria-label')).toBe(
      'USDC spent per day, last 7 days: 640 USDC in total, most on 2026-11-22 (400 USDC); the limit is 500 USDC a day',
    );
    const bars = chart.querySelectorAll('rect');
    expect(bars[6]!.getAttribute('height')).toBe('48'); // 400 / 500 of 60
    expect(screen.getByTestId('limit-line').getAttribute('y1')).toBe('0');
    expect(screen.getByText('500 USDC')).toBeTruthy();
    expect(screen.getByText('2026-11-16')).toBeTruthy();
    expect(screen.getByText('2026-11-22')).toBeTruthy();
  });

  test('a limit over another period is not drawn on a per-day chart', () => {
    render(<SpendChart {...props} limit={{ amount: 500_000_000n, periodSeconds: 7 * DAY }} />);
    expect(screen.queryByTestId('limit-line')).toBeNull();
    expect(screen.getByRole('img').querySelectorAll('rect')[6]!.getAttribute('height')).toBe('60');
  });
});
