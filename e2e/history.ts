// A key's history with rows in it, for the screens that show it (screenshots, axe).
import type { Page } from '@playwright/test';
import type { Address, Hex } from 'viem';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { DevnetConfig } from '../lib/chain/devnetConfig.js';
import { agentFor, FORCED_GAS, fund } from './agent';
import { expect } from './fixtures';

/**
 * A key's history with something in it: the agent spends 60 USDC on `account` (its key allows 100 a
 * day), then asks for 50 more with its own gas limits (refused in execution, onchain). The popup's
 * Keys tab then shows the key at 60 / 100 and its history open: both rows and the spend chart.
 * Returns the history's region.
 */
export async function spendThenOpenHistory(popup: Page, c: DevnetConfig, account: Address, grantContext: Hex, agent: PrivateKeyAccount, payee: Address) {
  await fund(c, account, '1000');
  const spender = await agentFor(c, grantContext, agent);
  expect((await spender.transfer(payee, '60')).ok).toBe(true);
  expect((await spender.transfer(payee, '50', FORCED_GAS)).ok).toBe(false);
  await popup.reload();
  await popup.getByRole('tab', { name: 'Keys' }).click();
  const card = popup.getByRole('listitem', { name: /^Key / }).first();
  await expect(card).toContainText('60 / 100 USDC', { timeout: 30_000 });
  await card.getByRole('button', { name: 'Show history' }).click();
  const history = card.getByRole('region', { name: 'History' });
  await expect(history.getByRole('listitem')).toHaveCount(2, { timeout: 30_000 });
  await expect(history).toContainText(/Blocked/);
  await expect(history.getByRole('img', { name: /spent per day.*60 USDC in total/ })).toBeVisible();
  return history;
}
