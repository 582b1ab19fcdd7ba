// The popup as the control room (issue 5): after an agent spends 60 of 100 USDC, the popup shows
// 60 / 100; a blocked attempt shows in the timeline with its reason; Revoke on a key enabled on
// Kernel, Nexus and Safe cuts it from all three in one transaction. Screenshots are saved. The
// grant names its payee (issue 20): the window says 'only to' it, and paying anyone else is refused.
import { erc20Abi, getAddress, parseUnits, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { publicClientFor } from '../lib/accounts/clients.js';
import { decodeContext } from '../lib/erc7715/response.js';
import { grantState } from '../lib/keystore/read.js';
import { describeRefusal } from '../lib/permissions/refusal.js';
import { agentFor, FORCED_GAS, fund, networkOf } from './agent';
import { answer, devnet, importOwner, requestWithApproval } from './dapp';
import { expect, test } from './fixtures';

const DAY = 86_400;

test('usage 60/100, a blocked attempt in the timeline, and one Revoke for three accounts', async ({ context, extensionId, pageUrl }) => {
  test.setTimeout(180_000);
  const c = devnet();
  const pub = publicClientFor(networkOf(c));
  const popup = await importOwner(context, extensionId, generatePrivateKey());
  const page = await context.newPage();
  await page.goto(pageUrl);

  // Connect all three accounts; fund them (ETH for gas; USDC on Kernel for the agent to spend).
  const connect = await requestWithApproval(context, page, 'connect', 'eth_requestAccounts');
  await connect.getByRole('checkbox', { name: /Nexus/ }).check();
  await connect.getByRole('checkbox', { name: /Safe/ }).check();
  await connect.getByRole('button', { name: 'Approve' }).click();
  const accounts = ((await answer(page, 'connect')) as { result: `0x${string}`[] }).result;
  expect(accounts).toHaveLength(3);
  for (const [i, a] of accounts.entries()) await fund(c, a, i === 0 ? '1000' : '0');

  // 100 USDC per day for the agent, on all three, paid only to bob (a payee rule).
  const agent = privateKeyToAccount(generatePrivateKey());
  const bob = privateKeyToAccount(generatePrivateKey()).address;
  const now = Number((await pub.getBlock()).timestamp);
  const approval = await requestWithApproval(context, page, 'grant', 'wallet_requestExecutionPermissions', [
    {
      chainId: toHex(31337),
      to: agent.address,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: false,
        data: { tokenAddress: c.tokens.usdc, periodAmount: toHex(parseUnits('100', 6)), periodDuration: DAY },
      },
      rules: [
        { type: 'expiry', data: { timestamp: now + 7 * DAY } },
        { type: 'payee', data: { addresses: [bob] } },
      ],
    },
  ]);
  // The condition in words, and no warning that the key may pay anyone.
  await expect(approval.getByRole('list', { name: 'What the agent may do' })).toContainText(`only to ${bob.slice(0, 6)}…${bob.slice(-4)}`);
  await expect(approval.getByText(/May pay anyone/)).toHaveCount(0);
  await approval.getByRole('checkbox', { name: /Nexus/ }).check();
  await approval.getByRole('checkbox', { name: /Safe/ }).check();
  await approval.getByRole('button', { name: 'Approve' }).click();
  await expect(approval.getByText('Done.')).toBeVisible({ timeout: 120_000 });
  const [granted] = ((await answer(page, 'grant')) as { result: { context: `0x${string}` }[] }).result;
  const { keyId } = decodeContext(granted!.context);

  // The agent spends 60, then asks for 50 more with its own gas limits: refused in execution, onchain.
  const kernel = await agentFor(c, granted!.context, agent);
  expect((await kernel.transfer(bob, '60')).ok).toBe(true);
  // Paying anyone but bob: refused in validation, by the payee condition; nothing moves.
  const carol = privateKeyToAccount(generatePrivateKey()).address;
  const toCarol = await kernel.transfer(carol, '1');
  if (toCarol.ok) throw new Error('the agent paid someone who is not a payee');
  expect(toCarol.refusal).toMatchObject({ error: 'ArgumentNotAllowed', stage: 'validation' });
  expect(describeRefusal(toCarol.refusal)).toBe(`recipient ${carol.toLowerCase()} is not one this key may pay`);
  expect(await pub.readContract({ address: c.tokens.usdc, abi: erc20Abi, functionName: 'balanceOf', args: [carol] })).toBe(0n);
  const blocked = await kernel.transfer(bob, '50', FORCED_GAS);
  expect(blocked.ok).toBe(false);
  expect(blocked.ok === false && blocked.transactionHash).toBeTruthy();

  // The popup: the key, its usage, its history.
  await popup.reload();
  const key = popup.getByRole('listitem', { name: `Key ${new URL(pageUrl).origin}` });
  await expect(key.getByRole('group', { name: 'On Kernel' }).or(key.getByLabel('On Kernel'))).toContainText('60 / 100 USDC', { timeout: 20_000 });
  await expect(key.getByLabel('On Kernel').getByRole('meter')).toHaveAttribute('aria-valuenow', '60');
  await popup.screenshot({ path: 'test-results/control-room-keys.png', fullPage: true });
  await key.getByRole('button', { name: 'Show history' }).click();
  const history = key.getByRole('region', { name: 'History' }).or(key.getByLabel('History'));
  await expect(history).toContainText('transfer', { timeout: 20_000 });
  await expect(history).toContainText(/[Bb]locked/);
  await expect(history).toContainText(/spend limit/i);
  await popup.screenshot({ path: 'test-results/control-room-timeline.png', fullPage: true });

  // The account's own trail shows the same, and the key can be given a name.
  await key.getByRole('button', { name: 'Rename' }).click();
  await key.getByLabel('Key name').fill('Research agent');
  await key.getByRole('button', { name: 'Save name' }).click();
  const named = popup.getByRole('listitem', { name: 'Key Research agent' });
  await expect(named).toBeVisible({ timeout: 10_000 });
  await popup.getByRole('tab', { name: 'Accounts' }).click();
  await popup.getByRole('button', { name: 'History of Kernel' }).click();
  const trail = popup.getByLabel(`History of ${accounts[0]}`);
  await expect(trail).toContainText('transfer', { timeout: 20_000 });
  await expect(trail).toContainText(/[Bb]locked/);
  await popup.getByRole('tab', { name: 'Keys' }).click();

  // Revoke: the confirmation names the three accounts; one transaction; revoked everywhere.
  await named.getByRole('button', { name: 'Revoke' }).click();
  const dialog = popup.getByRole('alertdialog', { name: 'Confirm revoke' });
  for (const a of accounts) await expect(dialog).toContainText(getAddress(a));
  await popup.screenshot({ path: 'test-results/control-room-revoke.png', fullPage: true });
  await dialog.getByRole('button', { name: 'Revoke everywhere' }).click();
  await expect(named.getByText('Revoked')).toBeVisible({ timeout: 60_000 });
  for (const a of accounts) expect(await grantState(pub, c.functor.keyStore, keyId, a)).toBe('revoked');
  const after = await kernel.transfer(bob, '1');
  expect(after.ok).toBe(false);
  expect(after.ok === false && after.refusal.stage).toBe('validation');
});
