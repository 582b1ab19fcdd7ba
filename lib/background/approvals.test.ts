// The approval's stepper: each owner operation's step is stored with the approval (the window
// watches storage), one entry per chain and operation, updated in place as it moves on.
import { expect, test } from 'vitest';
import { createApprovals } from './approvals.js';
import { memoryStore } from './store.js';

test('steps: signing, then sent, then landed, per chain and operation, in the order they started', async () => {
  const approvals = createApprovals({ store: memoryStore(), openWindow: async () => {} });
  const a = await approvals.open({ origin: 'https://dapp.example', kind: 'permissions', method: 'wallet_requestExecutionPermissions', params: {} });
  const op = 'Kernel: register the key and set its policy';
  await approvals.update(a.id, { step: { chain: 'Local devnet', label: op, state: 'signing' } });
  await approvals.update(a.id, { step: { chain: 'Sepolia', label: op, state: 'signing' } });
  await approvals.update(a.id, { step: { chain: 'Local devnet', label: op, state: 'sent' } });
  await approvals.update(a.id, { step: { chain: 'Local devnet', label: op, state: 'landed', transaction: '0xabc' } });
  await approvals.update(a.id, { addProgress: 'Granted' });
  const stored = await approvals.get(a.id);
  expect(stored?.steps).toEqual([
    { chain: 'Local devnet', label: op, state: 'landed', transaction: '0xabc' },
    { chain: 'Sepolia', label: op, state: 'signing' },
  ]);
  // Progress lines go on as before.
  expect(stored?.progress).toEqual(['Granted']);
});

test('an approval stored before steps existed reads without them', async () => {
  const approvals = createApprovals({ store: memoryStore(), openWindow: async () => {} });
  const a = await approvals.open({ origin: 'https://dapp.example', kind: 'connect', method: 'eth_requestAccounts', params: [] });
  expect((await approvals.get(a.id))?.steps).toBeUndefined();
  await approvals.update(a.id, { addProgress: 'x' });
  expect((await approvals.get(a.id))?.steps).toBeUndefined();
});
