// @vitest-environment happy-dom
// The design system's parts: buttons by role, chips by state, a field with its error tied to it,
// the copy button, empty states and skeletons, the identicon.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test, vi } from 'vitest';
import { Button } from './Button';
import { Chip } from './Chip';
import { CopyButton } from './CopyButton';
import { EmptyState } from './EmptyState';
import { Field } from './Field';
import { Identicon } from './Identicon';
import { blockie } from './identicon';
import { Notice } from './Notice';
import { Skeleton } from './Skeleton';

afterEach(cleanup);

test('a button by role: each role its own colours, a plain button by default (not a submit)', () => {
  render(
    <>
      <Button variant="primary">Approve</Button>
      <Button>Cancel</Button>
      <Button variant="danger">Revoke</Button>
    </>,
  );
  const [approve, cancel, revoke] = ['Approve', 'Cancel', 'Revoke'].map((n) => screen.getByRole('button', { name: n }));
  expect(approve!.className).toContain('bg-primary');
  expect(cancel!.className).toContain('border-line');
  expect(revoke!.className).toContain('bg-danger');
  expect(new Set([approve, cancel, revoke].map((b) => b!.dataset.variant))).toEqual(new Set(['primary', 'secondary', 'danger']));
  expect(cancel!.getAttribute('type')).toBe('button');
});

test('a chip says its state in words, with an icon hidden from screen readers', () => {
  render(
    <>
      <Chip state="active">Active</Chip>
      <Chip state="expiring">Expiring</Chip>
      <Chip state="revoked">Revoked</Chip>
      <Chip state="blocked">Blocked</Chip>
    </>,
  );
  for (const [word, state] of [
    ['Active', 'active'],
    ['Expiring', 'expiring'],
    ['Revoked', 'revoked'],
    ['Blocked', 'blocked'],
  ] as const) {
    const chip = screen.getByText(word);
    expect(chip.dataset.state).toBe(state);
    expect(chip.querySelector('svg')!.getAttribute('aria-hidden')).toBe('true');
  }
  expect(screen.getByText('Blocked').className).toContain('text-danger-text');
  expect(screen.getByText('Active').className).toContain('text-ok-text');
});

test('a field is named by its label alone; its error is said under it and tied to it', () => {
  const { rerender } = render(<Field label="Password" type="password" value="" onValue={() => {}} />);
  const input = screen.getByLabelText('Password');
  expect(input.getAttribute('aria-invalid')).toBeNull();
  rerender(<Field label="Password" type="password" value="short" onValue={() => {}} error="At least 8 characters." />);
  expect(input.getAttribute('aria-invalid')).toBe('true');
  const error = document.getElementById(input.getAttribute('aria-describedby')!)!;
  expect(error.textContent).toBe('At least 8 characters.');
  expect(screen.getByLabelText('Password')).toBe(input);
});

test('a field reports what is typed; multiline is a textarea under the same label', () => {
  const typed: string[] = [];
  render(<Field multiline label="Private key" value="" onValue={(v) => typed.push(v)} />);
  const area = screen.getByLabelText('Private key');
  expect(area.tagName).toBe('TEXTAREA');
  fireEvent.change(area, { target: { value: '0xabc' } });
  expect(typed).toEqual(['0xabc']);
});

test('copy: the text goes to the clipboard and "Copied" is announced, then cleared', async () => {
  vi.useFakeTimers();
  const copy = vi.fn(async () => {});
  render(<CopyButton text="0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" label="Copy address" copy={copy} />);
  await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Copy address' })));
  expect(copy).toHaveBeenCalledWith('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  expect(screen.getByRole('status').textContent).toBe('Copied');
  await act(async () => void vi.advanceTimersByTime(2000));
  expect(screen.getByRole('status').textContent).toBe('');
  vi.useRealTimers();
});

test('empty state, skeleton and notice: words first, decoration hidden', () => {
  render(
    <>
      <EmptyState title="No keys yet.">A dapp asks for one.</EmptyState>
      <Skeleton label="Loading keys" lines={2} />
      <Notice tone="danger" role="alert">
        Unlimited amount
      </Notice>
    </>,
  );
  expect(screen.getByText('No keys yet.')).toBeTruthy();
  const loading = screen.getByRole('status', { name: 'Loading keys' });
  expect(loading.getAttribute('aria-busy')).toBe('true');
  expect(loading.querySelectorAll('[aria-hidden="true"]')).toHaveLength(2);
  const alert = screen.getByRole('alert');
  expect(alert.textContent).toBe('Unlimited amount');
  expect(alert.dataset.tone).toBe('danger');
});

test('identicon: the same address always draws the same, another address differently, mirrored', () => {
  const a = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
  const b = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
  expect(blockie(a)).toEqual(blockie(a));
  expect(blockie(a)).toEqual(blockie(a.toLowerCase()));
  expect(blockie(a)).not.toEqual(blockie(b));
  const { cells } = blockie(a);
  expect(cells).toHaveLength(8);
  for (const row of cells) {
    expect(row).toHaveLength(8);
    expect(row).toEqual([...row].reverse());
    expect(row.every((v) => v === 0 || v === 1 || v === 2)).toBe(true);
  }
  render(<Identicon address={a} />);
  const svg = screen.getByTestId('identicon');
  expect(svg.getAttribute('aria-hidden')).toBe('true');
  expect(svg.querySelectorAll('rect').length).toBe(1 + cells.flat().filter((v) => v !== 0).length);
});
