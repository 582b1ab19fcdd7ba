// A dapp's permission request end to end, in the real extension against the devnet: the owner is
// imported, the page connects, asks for 100 USDC per day (erc20-token-periodic), the approval
// shows those numbers, Approve lands the grant, and the chain holds exactly what was shown.
import { createPublicClient, getAddress, http, parseUnits, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { functorPolicyHookAbi } from '../lib/abi/generated.js';
import { decodeContext } from '../lib/erc7715/response.js';
import { ecdsaSignerId } from '../lib/keystore/ids.js';
import { grantState, readKey } from '../lib/keystore/read.js';
import { fromPolicies } from '../lib/permissions/codec.js';
import { describeGas } from '../lib/permissions/describe.js';
import { answer, devnet, importOwner, request, requestWithApproval } from './dapp';
import { expect, test } from './fixtures';

const DAY = 86_400;

function periodicRequest(usdc: string, agent: string, expiry: number) {
  return [
    {
      chainId: toHex(31337),
      to: agent,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: true,
        data: { tokenAddress: usdc, periodAmount: toHex(parseUnits('100', 6)), periodDuration: DAY, justification: 'Pay for API calls' },
      },
      rules: [{ type: 'expiry', data: { timestamp: expiry } }],
    },
  ];
}

test('connect, request erc20-token-periodic, see the numbers, approve: the key is onchain as shown', async ({ context, extensionId, pageUrl }) => {
  test.setTimeout(120_000);
  const c = devnet();
  await importOwner(context, extensionId, c.owners[0]!.privateKey);
  const page = await context.newPage();
  await page.goto(pageUrl);

  await page.evaluate(() => {
    const w = window as unknown as { seen: unknown[]; ethereum: { on: (e: string, l: (d: unknown) => void) => void } };
    w.seen = [];
    w.ethereum.on('accountsChanged', (d) => w.seen.push(d));
  });
  // Connect: one approval, then the site sees the chosen account (and hears accountsChanged).
  const connect = await requestWithApproval(context, page, 'connect', 'eth_requestAccounts');
  await expect(connect.getByTestId('origin')).toHaveText(new URL(pageUrl).origin);
  await connect.getByRole('button', { name: 'Approve' }).click();
  const accounts = await answer(page, 'connect');
  expect('result' in accounts && (accounts.result as string[]).length).toBe(1);
  const account = getAddress((accounts as { result: string[] }).result[0]!);
  expect(await request(page, 'eth_accounts')).toEqual({ result: [account] });
  await expect.poll(() => page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)).toEqual([[account]]);
  // The account pays its own gas: fund it, as its owner would.
  const pub = createPublicClient({ transport: http(c.rpcUrl) });
  await pub.request({ method: 'anvil_setBalance' as never, params: [account, toHex(10n ** 18n)] as never });

  // The permission request and its approval window.
  const agent = privateKeyToAccount(generatePrivateKey());
  const now = Number((await pub.getBlock()).timestamp);
  const expiry = now + 7 * DAY;
  const approval = await requestWithApproval(
    context,
    page,
    'grant',
    'wallet_requestExecutionPermissions',
    periodicRequest(c.tokens.usdc, agent.address, expiry),
  );
  await expect(approval.getByTestId('sentence')).toHaveText(
    /^127\.0\.0\.1:\d+'s agent may spend up to 100 USDC a day from your Kernel account until \d+ \w{3}( \d{4})?\.$/,
  );
  await expect(approval.getByTestId('limit-0')).toHaveText('Limit: 100 USDC');
  await expect(approval.getByText('Fixed periods of 24 hours')).toBeVisible();
  await expect(approval.getByRole('list', { name: 'What the agent may do' })).toContainText('transfer');
  await expect(approval.getByRole('list', { name: 'What the agent may do' })).toContainText('Expires on');
  // The gas a leaked key could cost, in all and per operation (issue 14): stated, then granted as stated.
  // The gas bound is a detail: in the collapsed part.
  await approval.getByText('Details', { exact: true }).click();
  const gasLine = await approval
    .getByRole('list', { name: 'Details' })
    .getByText(/^Gas: at most/)
    .textContent();
  expect(gasLine).toMatch(/^Gas: at most [\d.,]+ ETH in all, [\d.,]+ ETH per operation \([\d,]+ operations?\), at up to [\d.,]+ gwei per gas$/);
  await approval.screenshot({ path: 'test-results/e2e-approval-permission.png' });
  await approval.getByRole('button', { name: 'Approve' }).click();
  await expect(approval.getByText('Done.')).toBeVisible({ timeout: 90_000 });
  await expect(approval.getByRole('status', { name: 'Progress' })).toContainText('registering the key');
  // The stepper: the one operation, signed, sent and landed.
  await expect(
    approval.getByRole('list', { name: 'Onchain steps' }).getByRole('listitem', { name: /register the key and set its policy: landed$/ }),
  ).toBeVisible();

  const granted = await answer(page, 'grant');
  expect(granted).toHaveProperty('result');
  const [response] = (granted as { result: { context: `0x${string}`; from: string; chainId: string; permission: { type: string } }[] }).result;
  expect(response!.from).toBe(account);
  expect(response!.permission.type).toBe('erc20-token-periodic');
  const ctx = decodeContext(response!.context);
  expect(ctx.account).toBe(account);

  // Onchain: registered, enabled on the account, the agent as signer, the policy as shown.
  const key = await readKey(pub as never, c.functor.keyStore, ctx.keyId);
  expect(key.revoked).toBe(false);
  expect(key.signers.map((s) => s.toLowerCase())).toEqual([ecdsaSignerId(agent.address).toLowerCase()]);
  expect(await grantState(pub as never, c.functor.keyStore, ctx.keyId, account)).toBe('enabled');
  // No op made yet: the lane is at 0, so maxOps is the grant's whole bound.
  const policies = fromPolicies(
    await pub.readContract({ address: c.functor.policyHook, abi: functorPolicyHookAbi, functionName: 'policiesOf', args: [account, ctx.keyId] }),
    0n,
  );
  expect(policies.gas.maxOps).toBeGreaterThan(0);
  expect(describeGas(policies.gas), 'the window showed the gas bound that was granted').toBe(gasLine);
  expect(policies.spend).toEqual([
    { token: getAddress(c.tokens.usdc), limit: parseUnits('100', 6), period: { kind: 'fixed', seconds: DAY, start: expect.any(Number) } },
  ]);
  expect(policies.expiry).toBe(expiry);
  expect(policies.calls).toEqual([{ to: getAddress(c.tokens.usdc), selector: '0xa9059cbb' }]);

  // The site can list it, and only it.
  const listed = await request(page, 'wallet_getGrantedExecutionPermissions');
  expect((listed as { result: { context: string }[] }).result.map((r) => r.context)).toEqual([response!.context]);
});

test('rejecting the approval answers 4001; a malformed request gets -32602 and no window', async ({ context, extensionId, pageUrl }) => {
  const c = devnet();
  await importOwner(context, extensionId, c.owners[1]!.privateKey);
  const page = await context.newPage();
  await page.goto(pageUrl);
  const agent = privateKeyToAccount(generatePrivateKey());
  const approval = await requestWithApproval(
    context,
    page,
    'r',
    'wallet_requestExecutionPermissions',
    periodicRequest(c.tokens.usdc, agent.address, Math.floor(Date.now() / 1000) + DAY),
  );
  await approval.getByRole('button', { name: 'Reject' }).click();
  expect(await answer(page, 'r')).toEqual({ error: { code: 4001, message: 'User rejected the request' } });

  let windows = 0;
  context.on('page', (p) => p.url().includes('/approval.html') && windows++);
  const bad = await request(page, 'wallet_requestExecutionPermissions', [
    {
      chainId: '0x7a69',
      to: agent.address,
      permission: { type: 'erc20-token-periodic', data: { tokenAddress: c.tokens.usdc, periodAmount: '-5', periodDuration: DAY } },
    },
  ]);
  expect(bad).toMatchObject({ error: { code: -32602, data: { field: '[0].permission.data.periodAmount' } } });
  // A wildcard target with a module-management function (a key that could reconfigure the
  // account's modules, issue 14): refused before any window, naming the call.
  const wide = await request(page, 'wallet_requestExecutionPermissions', [
    {
      chainId: '0x7a69',
      to: agent.address,
      permission: { type: 'functor-calls', isAdjustmentAllowed: false, data: { calls: [{ to: 'any', selector: 'onInstall(bytes)' }] } },
      rules: [{ type: 'expiry', data: { timestamp: Math.floor(Date.now() / 1000) + DAY } }],
    },
  ]);
  expect(wide).toMatchObject({ error: { code: -32602 } });
  expect(JSON.stringify(wide)).toMatch(/management/);
  expect(windows).toBe(0);
});

test('a locked wallet asks to unlock in the approval window, then goes on', async ({ context, extensionId, pageUrl }) => {
  const c = devnet();
  const popup = await importOwner(context, extensionId, c.owners[2]!.privateKey);
  await popup.getByRole('button', { name: 'Lock' }).click();
  const page = await context.newPage();
  await page.goto(pageUrl);
  const approval = await requestWithApproval(context, page, 'connect', 'eth_requestAccounts');
  await approval.getByLabel('Password').fill('correct horse');
  await approval.getByRole('button', { name: 'Unlock' }).click();
  await approval.getByRole('button', { name: 'Approve' }).click();
  const r = await answer(page, 'connect');
  expect((r as { result: string[] }).result).toHaveLength(1);
});
