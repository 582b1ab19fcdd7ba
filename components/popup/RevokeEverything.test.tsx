// @vitest-environment happy-dom
// Revoke everything in the popup: the confirmation lists every live key with its accounts and chains,
// one message per chain goes out at once, the report says what ended where, and Retry goes only to
// the chain where keys are still live. The background is a recorded stand-in (the chain side:
// test/integration/multichain.test.ts).
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import type { KeyView } from '@/lib/protocol/views';
import type { Call } from '../client';
import { RevokeEverything } from './RevokeEverything';

afterEach(cleanup);

const account = '0x00000000000000000000000000000000000000a1' as const;
const key = (keyId: bigint, name: string, chains: [string, string][], revoked = false): KeyView => ({
  keyId,
  name,
  controller: account,
  revoked,
  registeredAt: 0,
  signers: [],
  accounts: chains.map(([networkId, chain]) => ({ networkId, chain, keyId, kind: 'kernel', name: 'Kernel', address: account, lines: [], spends: [] })),
  chains: chains.map(([networkId, name]) => ({ networkId, name, chainId: 1, keyId, revoked })),
  lastActivity: 0,
  tokens: {},
});

test('lists what will end, sends one message per chain, reports per chain, retries only where keys are still live', async () => {
  const keys = [
    key(1n, 'trader', [
      ['dev', 'Local devnet'],
      ['sep', 'Sepolia'],
    ]),
    key(2n, 'payer', [['dev', 'Local devnet']]),
    key(3n, 'old', [['dev', 'Local devnet']], true),
  ];
  const sent: string[] = [];
  let sepoliaDown = true;
  const send = (async (m: { type: string; networkId: string }) => {
    sent.push(m.networkId);
    if (m.networkId === 'sep')
      return sepoliaDown
        ? {
            ok: true,
            chain: { name: 'Sepolia', chainId: 2 },
            ended: [],
            failed: [{ account, kind: 'Kernel', keys: ['1'], error: 'the bundler at http://b does not answer' }],
          }
        : { ok: true, chain: { name: 'Sepolia', chainId: 2 }, ended: ['1'], failed: [] };
    return { ok: true, chain: { name: 'Local devnet', chainId: 1 }, ended: ['1', '2'], failed: [] };
  }) as Call;
  render(<RevokeEverything send={send} keys={keys} onChanged={() => undefined} />);
  fireEvent.click(screen.getByRole('button', { name: 'Revoke everything' }));
  const dialog = screen.getByRole('alertdialog', { name: 'Confirm revoke everything' });
  expect(dialog.textContent).toContain('End every key (2) on every chain (2)?');
  expect(
    within(dialog)
      .getAllByRole('listitem')
      .map((li) => li.textContent),
  ).toEqual(['trader: Kernel on Local devnet, Kernel on Sepolia', 'payer: Kernel on Local devnet']);

  await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'End every key' })));
  expect(sent.sort()).toEqual(['dev', 'sep']);
  const progress = within(dialog).getByRole('status', { name: 'Revoke everything progress' });
  expect(progress.textContent).toContain('Local devnet: 2 ended');
  expect(progress.textContent).toContain('Sepolia: 0 ended; still live: 1 from Kernel (the bundler at http://b does not answer)');
  expect(within(dialog).getByRole('alert').textContent).toBe('Keys are still live on Sepolia. Retry to end them there.');

  sepoliaDown = false;
  await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Retry' })));
  expect(sent).toHaveLength(3);
  expect(sent[2]).toBe('sep');
  expect(progress.textContent).toContain('Sepolia: 1 ended');
  expect(within(dialog).queryByRole('alert')).toBeNull();
  expect(within(dialog).getByRole('button', { name: 'Close' })).toBeTruthy();
});
