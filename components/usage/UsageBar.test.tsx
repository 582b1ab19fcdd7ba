// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { UsageBar } from './UsageBar';

afterEach(cleanup);

const USDC = { symbol: 'USDC', decimals: 6 };
const DAY = 86_400;
const MIDNIGHT = 1_795_305_600; // 2026-11-22 00:00 UTC

describe('UsageBar', () => {
  test('sliding spend: the words, and a meter in token units', () => {
    render(<UsageBar kind="spend" used={640_000_000n} limit={1_000_000_000n} token={USDC} period={{ kind: 'sliding', seconds: DAY }} />);
    const meter = screen.getByRole('meter', { name: 'USDC spend' });
    expect(meter.getAttribute('aria-valuenow')).toBe('640');
    expect(meter.getAttribute('aria-valuemin')).toBe('0');
    expect(meter.getAttribute('aria-valuemax')).toBe('1000');
    expect(meter.getAttribute('aria-valuetext')).toBe('640 / 1,000 USDC in the last 24 h');
    expect(screen.getByText('640 / 1,000 USDC in the last 24 h')).toBeTruthy();
    expect(meter.dataset.level).toBe('ok');
    expect((meter.firstChild as HTMLElement).style.width).toBe('64%');
  });

  test('fixed period: says when it resets', () => {
    render(
      <UsageBar
        kind="spend"
        used={900_000_000n}
        limit={1_000_000_000n}
        token={USDC}
        period={{ kind: 'fixed', seconds: DAY, start: MIDNIGHT - 10 * DAY }}
        now={MIDNIGHT + 3600}
      />,
    );
    const meter = screen.getByRole('meter');
    expect(meter.getAttribute('aria-valuetext')).toBe('900 / 1,000 USDC this period (resets 2026-11-23 00:00 UTC)');
    expect(meter.dataset.level).toBe('near');
    expect(meter.firstElementChild!.className).toContain('bg-gauge-near');
  });

  test('at or over the limit: red, bar full, value kept in range, text tells the truth', () => {
    render(<UsageBar kind="spend" used={1_200_000_000n} limit={1_000_000_000n} token={USDC} period={{ kind: 'sliding', seconds: DAY }} />);
    const meter = screen.getByRole('meter');
    expect(meter.dataset.level).toBe('full');
    expect(meter.getAttribute('aria-valuenow')).toBe('1000');
    expect(meter.getAttribute('aria-valuetext')).toBe('1,200 / 1,000 USDC in the last 24 h');
    expect((meter.firstChild as HTMLElement).style.width).toBe('100%');
    expect(meter.firstElementChild!.className).toContain('bg-gauge-full');
  });

  test('rate: transactions in the window', () => {
    render(<UsageBar kind="rate" used={3n} max={10n} seconds={3600} />);
    const meter = screen.getByRole('meter', { name: 'Transactions' });
    expect(meter.getAttribute('aria-valuetext')).toBe('3 / 10 transactions in the last 1 h');
    expect(meter.getAttribute('aria-valuenow')).toBe('3');
    expect(meter.getAttribute('aria-valuemax')).toBe('10');
  });

  test('the colour changes at 80% and at the limit, not before', () => {
    const level = (used: bigint) => {
      cleanup();
      render(<UsageBar kind="spend" used={used} limit={100_000_000n} token={USDC} period={{ kind: 'sliding', seconds: DAY }} />);
      const meter = screen.getByRole('meter');
      return [meter.dataset.level, meter.firstElementChild!.className.match(/bg-gauge-\w+/)![0]];
    };
    expect(level(79_999_999n)).toEqual(['ok', 'bg-gauge-ok']);
    expect(level(80_000_000n)).toEqual(['near', 'bg-gauge-near']);
    expect(level(99_999_999n)).toEqual(['near', 'bg-gauge-near']);
    expect(level(100_000_000n)).toEqual(['full', 'bg-gauge-full']);
  });
});
