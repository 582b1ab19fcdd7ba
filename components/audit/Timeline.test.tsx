// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { blockedEntry, SIGNER, syntheticHistory, transferEntry, usdcTokens } from '@/lib/audit/testing';
import { Timeline } from './Timeline';

afterEach(cleanup);

const rows = () => within(screen.getByRole('list')).getAllByRole('listitem');
const next = () => screen.getByRole('button', { name: 'Next page' }) as HTMLButtonElement;
const prev = () => screen.getByRole('button', { name: 'Previous page' }) as HTMLButtonElement;

describe('Timeline: decoding', () => {
  test('a transfer (to whom, how much, signer, link-out) and a blocked attempt with its reason, newest first', () => {
    render(
      <Timeline
        entries={[transferEntry(0), blockedEntry(1)]}
        tokens={usdcTokens}
        signerNames={{ [SIGNER]: 'agent A' }}
        timestamps={new Map([[100n, 1_795_305_600]])}
        explorerUrl="https://explorer.example/"
      />,
    );
    const [blocked, executed] = rows();
    expect(blocked!.dataset.kind).toBe('blocked');
    // Each row's icon says which at a glance (decorative: hidden from screen readers, the title says it).
    expect(blocked!.querySelector('svg')!.getAttribute('data-icon')).toBe('blocked');
    expect(executed!.querySelector('svg')!.getAttribute('data-icon')).toBe('executed');
    expect(blocked!.querySelector('svg')!.getAttribute('aria-hidden')).toBe('true');
    expect(blocked!.textContent).toContain('Blocked in execution: spend limit: 900/1000 USDC used in the window, asked 200');
    expect(blocked!.textContent).toContain('block 101');
    expect(executed!.textContent).toContain('transfer 640 USDC to 0x2222…2222');
    expect(executed!.textContent).toContain('640 USDC counted (640 / 1,000 USDC used in the window)');
    expect(executed!.textContent).toContain('2026-11-22 00:00 UTC · signed by agent A');
    const link = within(executed!).getByRole('link', { name: 'View transaction' });
    expect(link.getAttribute('href')).toBe(`https://explorer.example/tx/${transferEntry(0).transactionHash}`);
  });

  test('no explorer, no link; no entries, says so', () => {
    render(<Timeline entries={[transferEntry(0)]} />);
    expect(screen.queryByRole('link')).toBeNull();
    cleanup();
    render(<Timeline entries={[]} />);
    expect(screen.getByText(/Nothing yet/)).toBeTruthy();
  });
});

describe('Timeline: paging', () => {
  test('pages of 50, newest first; next and previous stop at the ends', () => {
    render(<Timeline entries={syntheticHistory(120)} tokens={usdcTokens} />);
    expect(rows()).toHaveLength(50);
    expect(screen.getByText('1–50 of 120')).toBeTruthy();
    expect(prev().disabled).toBe(true);
    // The newest entry (index 119, blocked: every tenth) comes first; index 118 sent 119 USDC.
    expect(rows()[0]!.dataset.kind).toBe('blocked');
    expect(rows()[1]!.textContent).toContain('transfer 119 USDC');

    fireEvent.click(next());
    expect(screen.getByText('51–100 of 120')).toBeTruthy();
    expect(rows()[1]!.textContent).toContain('transfer 69 USDC');
    fireEvent.click(next());
    expect(screen.getByText('101–120 of 120')).toBeTruthy();
    expect(rows()).toHaveLength(20);
    expect(rows()[19]!.textContent).toContain('transfer 1 USDC');
    expect(next().disabled).toBe(true);
    fireEvent.click(next()); // disabled: nothing happens
    expect(screen.getByText('101–120 of 120')).toBeTruthy();

    fireEvent.click(prev());
    fireEvent.click(prev());
    expect(screen.getByText('1–50 of 120')).toBeTruthy();
    expect(prev().disabled).toBe(true);
  });

  test('a page size of its own; one page: both buttons disabled', () => {
    render(<Timeline entries={syntheticHistory(3)} pageSize={3} />);
    expect(rows()).toHaveLength(3);
    expect(prev().disabled && next().disabled).toBe(true);
  });

  test('10,000 entries: only a page is in the DOM, and it renders quickly (timings printed)', () => {
    const entries = syntheticHistory(10_000);
    let t = performance.now();
    render(<Timeline entries={entries} tokens={usdcTokens} />);
    const first = performance.now() - t;
    expect(rows()).toHaveLength(50);
    expect(document.querySelectorAll('li')).toHaveLength(50);
    expect(screen.getByText('1–50 of 10,000')).toBeTruthy();

    t = performance.now();
    act(() => {
      fireEvent.click(next());
    });
    const forward = performance.now() - t;
    expect(screen.getByText('51–100 of 10,000')).toBeTruthy();
    expect(document.querySelectorAll('li')).toHaveLength(50);
    console.log(`Timeline, 10,000 entries: first page rendered in ${first.toFixed(1)} ms, next page in ${forward.toFixed(1)} ms`);
  });
});
