// One key on two chains, in the real extension (issue 16, parts 2 and 3): a second devnet chain
// (chain id 11155111, its own anvil and Alto, everything but Functor) is added in the popup as
// Sepolia; the popup offers to deploy Functor there and does it from the owner's Kernel account in
// one operation, showing its steps; one approval then grants the key on the Kernel account on both
// chains; the agent spends on both; one Revoke in the Keys tab ends it on both (one op per chain);
// the agent is then refused on both.
import { getAddress, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startDevnet, type Devnet } from '../devnet/devnet.js';
import { decodeContext } from '../lib/erc7715/response.js';
import { DEVNET_NETWORK_ID } from '../lib/networks/networks.js';
import { agentFor, fund } from './agent';
import { answer, devnet, importOwner, request, requestWithApproval } from './dapp';
import { expect, test } from './fixtures';

const DAY = 86_400;
let second: Devnet;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  second = await startDevnet({ chainId: 11155111, functor: false });
});
test.afterAll(async () => second?.stop());

test('a grant on two chains, spends on both, one Revoke: the agent is refused on both', async ({ context, extensionId, pageUrl }) => {
  test.setTimeout(240_000);
  const c = devnet();
  const popup = await importOwner(context, extensionId, generatePrivateKey());

  const page = await context.newPage();
  await page.goto(pageUrl);
  const connect = await requestWithApproval(context, page, 'connect', 'eth_requestAccounts');
  await connect.getByRole('button', { name: 'Approve' }).click();
  const account = getAddress(((await answer(page, 'connect')) as { result: string[] }).result[0]!);
  // The Kernel account is at one address on both chains; its owner funds it on each.
  await fund(c, account, '1000');
  await fund(second.config, account, '1000');

  // Sepolia, from the list of known networks: an RPC URL and a bundler URL, nothing else. Functor
  // is not there: the popup says so.
  await popup.getByRole('tab', { name: 'Networks' }).click();
  const add = popup.getByRole('form', { name: 'Add a network' });
  await add.getByRole('combobox', { name: /^Chain/ }).selectOption(String(11155111));
  await add.getByLabel('Chain RPC URL').fill(second.config.rpcUrl);
  await add.getByLabel('Bundler URL').fill(second.config.bundlerUrl);
  await add.getByRole('button', { name: 'Add network' }).click();
  await expect(add.getByRole('status')).toContainText('Added, but: Functor KeyStore is not deployed on this chain');

  // On Sepolia, the popup offers to deploy Functor from the owner's account, and shows each step.
  const networkSelect = popup.getByRole('combobox', { name: 'Network', exact: true });
  await networkSelect.selectOption({ label: 'Sepolia (11155111)' });
  const deploy = popup.getByRole('region', { name: 'Deploy Functor' });
  await deploy.getByRole('button', { name: 'Deploy Functor' }).click();
  const steps = deploy.getByRole('status', { name: 'Deploy progress' });
  await expect(steps).toContainText(`Sent from Kernel ${account.slice(0, 10)}… (deploying KeyStore`);
  await expect(steps).toContainText(/deploying KeyStore, FunctorPolicyConfig, FunctorPolicyGeneral,? and FunctorDeployer\)/);
  await expect(steps).toContainText('Functor is on Sepolia', { timeout: 60_000 });
  await popup.screenshot({ path: 'test-results/e2e-deploy-functor.png', fullPage: true });
  await expect(popup.getByRole('alert')).toHaveCount(0, { timeout: 10_000 });
  await networkSelect.selectOption({ label: 'Local devnet (31337)' });
  // The switch is the background's once the popup shows it (a request sent before it lands is
  // answered 4901: the wallet is on Sepolia).
  await expect(popup.getByTestId('network')).toHaveText('Local devnet');
  await expect(popup.getByTestId('network')).toHaveAttribute('title', 'Chain 31337');

  const agent = privateKeyToAccount(generatePrivateKey());
  const approval = await requestWithApproval(context, page, 'grant', 'wallet_requestExecutionPermissions', [
    {
      chainId: toHex(c.chainId),
      to: agent.address,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: true,
        data: { tokenAddress: c.tokens.usdc, periodAmount: toHex(100_000_000n), periodDuration: DAY },
      },
      rules: [{ type: 'expiry', data: { timestamp: Math.floor(Date.now() / 1000) + 7 * DAY } }],
    },
  ]);
  const sepolia = approval.getByRole('group', { name: 'Also on Sepolia (chain 11155111)' });
  await sepolia.getByRole('checkbox', { name: /^Kernel/ }).check();
  await approval.screenshot({ path: 'test-results/e2e-approval-two-chains.png', fullPage: true });
  await approval.getByRole('button', { name: 'Approve' }).click();
  await expect(approval.getByText('Done.')).toBeVisible({ timeout: 120_000 });
  const progress = approval.getByRole('status', { name: 'Progress' });
  await expect(progress).toContainText('Sepolia: Granted');
  await expect(progress).toContainText('Local devnet: Granted');

  // The site finds the key's context on each chain among its grants.
  const granted = ((await request(page, 'wallet_getGrantedExecutionPermissions')) as { result: { chainId: string; context: `0x${string}` }[] }).result;
  const onChain = (id: number) => granted.find((g) => Number(g.chainId) === id)!.context;
  expect(granted).toHaveLength(2);
  expect(decodeContext(onChain(11155111)).account).toBe(account);

  const bob = privateKeyToAccount(generatePrivateKey()).address;
  const here = await agentFor(c, onChain(c.chainId), agent);
  const there = await agentFor(second.config, onChain(11155111), agent);
  expect((await here.transfer(bob, '10')).ok).toBe(true);
  expect((await there.transfer(bob, '20')).ok).toBe(true);

  // An alert opens the popup on its key (#key=<network>:<keyId>): that card is the one marked.
  const alerted = await context.newPage();
  await alerted.goto(
    `chrome-extension://${extensionId}/popup.html#key=${encodeURIComponent(`${DEVNET_NETWORK_ID}:${decodeContext(onChain(c.chainId)).keyId}`)}`,
  );
  await expect(alerted.locator('[aria-current="true"]')).toHaveAttribute('aria-label', /^Key /, { timeout: 20_000 });
  await alerted.close();

  // The Keys tab: one key, its account on each chain; one Revoke, one op per chain.
  await popup.getByRole('tab', { name: 'Keys' }).click();
  const card = popup.getByRole('listitem', { name: /^Key / }).first();
  await expect(card).toContainText('On 2 chains', { timeout: 20_000 });
  await expect(card.getByLabel('On Kernel (Sepolia)')).toBeVisible();
  // Its history merges both chains, each entry labelled with its chain.
  await card.getByRole('button', { name: 'Show history' }).click();
  const activity = card.getByRole('region', { name: 'Activity' });
  await expect(activity.getByRole('listitem')).toHaveCount(2, { timeout: 20_000 });
  await expect(activity).toContainText('Local devnet ·');
  await expect(activity).toContainText('Sepolia ·');
  await card.getByRole('button', { name: 'Revoke' }).click();
  const dialog = popup.getByRole('alertdialog', { name: 'Confirm revoke' });
  await expect(dialog).toContainText('one transaction per chain (2, sent together)');
  await dialog.getByRole('button', { name: 'Revoke everywhere' }).click();
  await expect(card.getByText('Revoked', { exact: true })).toBeVisible({ timeout: 90_000 });
  await popup.screenshot({ path: 'test-results/e2e-keys-two-chains-revoked.png', fullPage: true });

  for (const a of [here, there]) {
    const after = await a.transfer(bob, '1');
    expect(after.ok).toBe(false);
    expect(after.ok === false && after.refusal.stage).toBe('validation');
  }
});
