// Issue 6's unhappy paths with the demo dapp: the user rejects (the dapp says so, nothing is
// granted), the wallet is locked when the dapp asks (the window asks for the password, then goes
// on), and a request for another chain is refused before any window (4901).
import { toHex } from 'viem';
import { generatePrivateKey } from 'viem/accounts';
import { serveDemo } from '../demo/serve';
import { fund } from './agent';
import { answer, devnet, importOwner, request, requestWithApproval } from './dapp';
import { expect, test } from './fixtures';

let demo: Awaited<ReturnType<typeof serveDemo>>;
test.beforeAll(async () => {
  demo = await serveDemo({ port: 0 });
});
test.afterAll(async () => demo?.stop());
const demoUrl = () => `${demo.url}?devnet=${encodeURIComponent(`http://127.0.0.1:${process.env.FUNCTOR_E2E_CONFIG_PORT ?? 8549}/devnet.json`)}`;

test('reject in the approval: the dapp shows the refusal and holds no grant; locked: unlock in the window, then granted', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const c = devnet();
  const popup = await importOwner(context, extensionId, generatePrivateKey());
  const dapp = await context.newPage();
  await dapp.goto(demoUrl());
  const connectWindow = context.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html') });
  await dapp.getByRole('button', { name: 'Connect', exact: true }).click();
  await (await connectWindow).getByRole('button', { name: 'Approve' }).click();
  const account = (await dapp.getByTestId('account').innerText()).trim() as `0x${string}`;
  await fund(c, account);
  await dapp.getByRole('button', { name: 'Generate agent key' }).click();

  // Reject.
  const w = context.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html') });
  await dapp.getByRole('button', { name: 'Request permission' }).click();
  await (await w).getByRole('button', { name: 'Reject' }).click();
  await expect(dapp.getByRole('alert')).toContainText(/reject/i);
  expect(await request(dapp, 'wallet_getGrantedExecutionPermissions')).toEqual({ result: [] });

  // Locked when the dapp asks (a locked wallet shows no accounts, so wagmi drops the connection:
  // the request comes straight through the page's provider, as a dapp's background call would).
  await popup.getByRole('button', { name: 'Lock' }).click();
  const approval = await requestWithApproval(context, dapp, 'locked', 'wallet_requestExecutionPermissions', [
    {
      chainId: toHex(31337),
      to: '0x000000000000000000000000000000000000dEaD',
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: false,
        data: { tokenAddress: c.tokens.usdc, periodAmount: '0x5f5e100', periodDuration: 86400 },
      },
    },
  ]);
  await approval.getByLabel('Password').fill('correct horse');
  await approval.getByRole('button', { name: 'Unlock' }).click();
  await approval.getByRole('button', { name: 'Approve' }).click();
  const answered = await answer(dapp, 'locked');
  expect(answered).toHaveProperty('result');
  const granted = (await request(dapp, 'wallet_getGrantedExecutionPermissions')) as { result: unknown[] };
  expect(granted.result).toHaveLength(1);
});

test('a request for another chain than the wallet is on: 4901 and no window', async ({ context, extensionId }) => {
  const c = devnet();
  await importOwner(context, extensionId, generatePrivateKey());
  const dapp = await context.newPage();
  await dapp.goto(demoUrl());
  let windows = 0;
  context.on('page', (p) => p.url().includes('/approval.html') && windows++);
  const r = await request(dapp, 'wallet_requestExecutionPermissions', [
    {
      chainId: toHex(1),
      to: '0x000000000000000000000000000000000000dEaD',
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: false,
        data: { tokenAddress: c.tokens.usdc, periodAmount: '0x1', periodDuration: 86400 },
      },
    },
  ]);
  expect(r).toMatchObject({ error: { code: 4901 } });
  expect((r as { error: { message: string } }).error.message).toMatch(/wallet_switchEthereumChain/);
  expect(await request(dapp, 'wallet_switchEthereumChain', [{ chainId: '0x1' }])).toMatchObject({ error: { code: 4902 } });
  expect(windows).toBe(0);
});
