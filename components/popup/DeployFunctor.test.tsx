// @vitest-environment happy-dom
// Deploying Functor from the popup: a refusal (no ETH, a chain without the factory) is shown in words
// with Try again, and nothing is said to be deployed; the background is a recorded stand-in here (the
// chain side: test/integration/deployFromAccount.test.ts and e2e/multichain.spec.ts).
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, test } from 'vitest';
import type { Call } from '../client';
import { DeployFunctor } from './DeployFunctor';

afterEach(cleanup);

test('a refused deployment says why, offers Try again, and calls nothing done', async () => {
  const sent: string[] = [];
  let done = 0;
  const send = (async (m: { type: string }) => {
    sent.push(m.type);
    return { ok: false, error: 'Deploying Functor from Kernel was not sent: the account has no ETH to pay for gas: fund it first' };
  }) as Call;
  render(<DeployFunctor send={send} network="Sepolia" onStart={() => undefined} onDone={() => done++} />);
  await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Deploy Functor' })));
  expect(sent).toEqual(['ui:deployFunctor']);
  const steps = screen.getByRole('status', { name: 'Deploy progress' });
  expect(steps.textContent).toContain('the account has no ETH to pay for gas: fund it first');
  expect(Array.from(steps.querySelectorAll('li'), (li) => li.dataset.state)).toEqual(['failed', 'failed']);
  expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  expect(screen.queryByText(/Functor is deployed/)).toBeNull();
  expect(done).toBe(0);
});
