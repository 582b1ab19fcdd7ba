// @vitest-environment happy-dom
// The popup's header: the owner's first account on the network (its picture, short address with
// copy, its kind), the network pill, and the owner key in full.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import type { AccountView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { Header } from './Header';

afterEach(cleanup);

const OWNER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const kernel: AccountView = {
  kind: 'kernel',
  name: 'Kernel',
  address: '0x1234567890AbcdEF1234567890aBcdef12345678',
  imported: false,
  deployed: true,
  balance: '0',
  validator: true,
  hook: true,
};
const send = (async (m: { type: string }) => (m.type === 'ui:accounts' ? { ok: true, accounts: [kernel] } : { ok: false, error: 'no' })) as unknown as Call;

test('the account: identicon, short address with the full one on hover and a copy button, its kind; the network; the owner', async () => {
  render(<Header send={send} owner={OWNER} network={{ id: 'dev', name: 'Local devnet', chainId: 31337 }} />);
  const address = await screen.findByTestId('account-address');
  expect(address.textContent).toBe('0x1234…5678');
  expect(address.getAttribute('title')).toBe(kernel.address);
  expect(screen.getByRole('button', { name: 'Copy address' })).toBeTruthy();
  expect(screen.getByText('Kernel')).toBeTruthy();
  expect(screen.getByTestId('identicon')).toBeTruthy();
  expect(screen.getByTestId('network').textContent).toBe('Local devnet');
  expect(screen.getByTestId('network').getAttribute('title')).toBe('Chain 31337');
  expect(screen.getByTestId('owner').textContent).toBe(OWNER);
});

test('no network: says so, and shows the owner alone', async () => {
  render(<Header send={send} owner={OWNER} />);
  expect(await screen.findByText('No network')).toBeTruthy();
  expect(screen.queryByTestId('account-address')).toBeNull();
  expect(screen.getByTestId('owner').textContent).toBe(OWNER);
});
