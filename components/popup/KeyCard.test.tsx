// @vitest-environment happy-dom
// Revoke on a key that lives on two chains: one message per chain, sent together, each chain's answer
// shown as it comes; a chain that fails is named as still live and Retry sends only to it. The
// background is a stand-in here (a recorded `send`); the chain side is in
// test/integration/multichain.test.ts and e2e/multichain.spec.ts.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import type { KeyView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { KeyCard, keyState } from './KeyCard';

afterEach(cleanup);

const account = '0x00000000000000000000000000000000000000a1' as const;
const key: KeyView = {
  keyId: 7n,
  name: 'agent',
  controller: account,
  revoked: false,
  registeredAt: 0,
  signers: [`0x${'00'.repeat(12)}${'b0'.repeat(20)}`],
  accounts: [
    { networkId: 'dev', chain: 'Local devnet', keyId: 7n, kind: 'kernel', name: 'Kernel', address: account, lines: [], spends: [] },
    { networkId: 'sep', chain: 'Sepolia', keyId: 7n, kind: 'kernel', name: 'Kernel', address: account, lines: [], spends: [] },
  ],
  chains: [
    { networkId: 'dev', name: 'Local devnet', chainId: 31337, keyId: 7n, revoked: false },
    { networkId: 'sep', name: 'Sepolia', chainId: 11155111, keyId: 7n, revoked: false },
  ],
  lastActivity: 0,
  tokens: {},
};

test('Revoke sends one message per chain at once; a failed chain is named still live, and Retry sends only to it', async () => {
  const sent: { networkId?: string }[] = [];
  let sepoliaDown = true;
  const send = (async (m: { type: string; networkId?: string }) => {
    if (m.type !== 'ui:revokeKey') return { ok: false, error: 'not in this test' };
    sent.push(m);
    if (m.networkId === 'sep' && sepoliaDown) return { ok: false, error: 'Revoking the key on Kernel was not sent: the bundler at http://b does not answer' };
    return { ok: true, chain: { name: m.networkId, chainId: 1 } };
  }) as Call;
  render(<KeyCard send={send} k={key} onChanged={() => undefined} refreshKey={0} />);
  expect(screen.getByText(/On 2 chains/)).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Revoke' }));
  const dialog = screen.getByRole('alertdialog', { name: 'Confirm revoke' });
  expect(dialog.textContent).toContain('one transaction per chain (2, sent together)');
  await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Revoke everywhere' })));
  expect(sent.map((m) => m.networkId).sort()).toEqual(['dev', 'sep']);
  const progress = within(dialog).getByRole('status', { name: 'Revoke progress' });
  expect(progress.textContent).toContain('Local devnet: ended');
  expect(progress.textContent).toContain('Sepolia: still live (Revoking the key on Kernel was not sent: the bundler at http://b does not answer)');
  expect(within(dialog).getByRole('alert').textContent).toBe('The key is still live on Sepolia. Retry to revoke it there.');

  sepoliaDown = false;
  await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Retry' })));
  expect(sent.map((m) => m.networkId)).toEqual(expect.arrayContaining(['dev', 'sep']));
  expect(sent).toHaveLength(3);
  expect(sent[2]!.networkId).toBe('sep');
  // Every chain answered revoked: the confirmation closes.
  expect(screen.queryByRole('alertdialog')).toBeNull();
});

test('the state chip: active, expiring within a day, expired, revoked', () => {
  const now = 1_800_000_000;
  expect(keyState({ revoked: false }, now)).toBe('active');
  expect(keyState({ revoked: false, expiry: now + 2 * 86_400 }, now)).toBe('active');
  expect(keyState({ revoked: false, expiry: now + 86_400 }, now)).toBe('expiring');
  expect(keyState({ revoked: false, expiry: now - 1 }, now)).toBe('expired');
  expect(keyState({ revoked: true, expiry: now + 86_400 }, now)).toBe('revoked');
});

test('Revoke is a danger button, and asks before it acts', () => {
  const sent: unknown[] = [];
  const send = (async (m: unknown) => (sent.push(m), { ok: true })) as unknown as Call;
  render(<KeyCard send={send} k={key} onChanged={() => {}} refreshKey={0} />);
  expect(screen.getByText('Active').closest('[data-state]')!.getAttribute('data-state')).toBe('active');
  const revoke = screen.getByRole('button', { name: 'Revoke' });
  expect(revoke.dataset.variant).toBe('danger');
  fireEvent.click(revoke);
  expect(sent).toEqual([]);
  const dialog = screen.getByRole('alertdialog', { name: 'Confirm revoke' });
  expect(within(dialog).getByRole('button', { name: 'Revoke everywhere' }).dataset.variant).toBe('danger');
  expect(within(dialog).getByRole('button', { name: 'Cancel' }).dataset.variant).toBe('secondary');
});
