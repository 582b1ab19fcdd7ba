// Pictures that stay right (issue 19): each main screen of the popup and the approval window in
// both themes, against the baselines committed in e2e/screens.spec.ts-snapshots/ (Debian's
// chromium, this fixed viewport). What changes from run to run is masked: addresses (random owner,
// agent), identicons drawn from them, the site's origin (a random port) and the sentence naming it,
// the times a period starts and resets, the gas bound (from the chain's fees), and in a key's
// history the dates (each row's time, the spend chart's first and last day). The chart's bars are
// not masked: the agent spends just before the picture, so its bar is always today's, the last.
// `npx playwright test e2e/screens.spec.ts --update-snapshots` (after `npm run build:extension`, or
// through `npm run test:e2e -- e2e/screens.spec.ts --update-snapshots`) rewrites the baselines.
import type { Page } from '@playwright/test';
import { createPublicClient, http, parseUnits, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { answer, devnet, importOwner, requestWithApproval } from './dapp';
import { expect, test } from './fixtures';
import { spendThenOpenHistory } from './history';

const POPUP = { width: 448, height: 640 };
const WINDOW = { width: 480, height: 900 };

/** Where the agent pays: a fixed address, so the timeline's words are the same each run. */
const PAYEE = '0x000000000000000000000000000000000000b0b0';

/**
 * What differs between runs: addresses and their pictures, the site's port, the times a period
 * starts and resets (and a history row's time), a chart's day labels, gas from the chain's fees.
 */
const masks = (p: Page) => [
  p.locator('.font-mono:visible'),
  p.getByTestId('identicon'),
  p.getByTestId('sentence'),
  p.getByText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}|^\d{4}-\d{2}-\d{2}$|127\.0\.0\.1:\d+|Gas: at most/).filter({ visible: true }),
];

/** The screen in light, then dark (the system's setting, which the app follows on "System"). */
async function both(p: Page, name: string) {
  for (const theme of ['light', 'dark'] as const) {
    await p.emulateMedia({ colorScheme: theme });
    await expect(p).toHaveScreenshot(`${name}-${theme}.png`, { fullPage: true, mask: masks(p), threshold: 0.02, maxDiffPixelRatio: 0.002 });
  }
  await p.emulateMedia({ colorScheme: 'light' });
}

test('the main screens, light and dark', async ({ context, extensionId, pageUrl }) => {
  test.setTimeout(300_000);
  const onboarding = await context.newPage();
  await onboarding.setViewportSize(POPUP);
  await onboarding.goto(`chrome-extension://${extensionId}/popup.html`);
  await onboarding.getByRole('button', { name: 'Create wallet' }).waitFor();
  await both(onboarding, 'onboarding');
  await onboarding.close();

  const popup = await importOwner(context, extensionId, generatePrivateKey());
  await popup.setViewportSize(POPUP);
  await popup.getByRole('tab', { name: 'Accounts' }).click();
  const kernel = popup.getByRole('listitem', { name: 'Kernel account' });
  const address = (await kernel.locator('.font-mono').first().innerText()).trim();
  const pub = createPublicClient({ transport: http(devnet().rpcUrl) });
  await pub.request({ method: 'anvil_setBalance' as never, params: [address, toHex(10n ** 18n)] as never });
  await popup.reload();
  await popup.getByRole('tab', { name: 'Accounts' }).click();
  await expect(popup.getByRole('listitem', { name: 'Kernel account' })).toContainText('1 ETH');
  await popup.getByTestId('account-address').waitFor();
  await both(popup, 'popup-accounts');
  await popup.getByRole('tab', { name: 'Networks' }).click();
  await both(popup, 'popup-networks');
  await popup.getByRole('tab', { name: 'Sites' }).click();
  await popup.getByText('No site is connected.').waitFor();
  await both(popup, 'popup-sites-empty');

  const page = await context.newPage();
  await page.goto(pageUrl);
  const connect = await requestWithApproval(context, page, 'connect', 'eth_requestAccounts');
  await connect.setViewportSize(WINDOW);
  await connect.getByRole('checkbox', { name: /^Kernel / }).waitFor();
  await connect.getByTestId('sentence').waitFor();
  await both(connect, 'approval-connect');
  await connect.getByRole('button', { name: 'Approve' }).click();
  await answer(page, 'connect');
  await popup.bringToFront();
  await popup.reload();
  await popup.getByRole('tab', { name: 'Sites' }).click();
  await expect(popup.getByRole('list', { name: 'Connected sites' })).toContainText('1 account(s)');
  await both(popup, 'popup-sites');
  const agent = privateKeyToAccount(generatePrivateKey());
  const grant = await requestWithApproval(context, page, 'grant', 'wallet_requestExecutionPermissions', [
    {
      chainId: toHex(31337),
      to: agent.address,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: false,
        data: { tokenAddress: devnet().tokens.usdc, periodAmount: toHex(parseUnits('100', 6)), periodDuration: 86_400, justification: 'Pay for API calls' },
      },
    },
  ]);
  await grant.setViewportSize(WINDOW);
  await grant.getByTestId('sentence').waitFor();
  await both(grant, 'approval-permission');
  await grant.getByRole('button', { name: 'Approve' }).click();
  await expect(grant.getByText('Done.')).toBeVisible({ timeout: 90_000 });
  await both(grant, 'approval-done');
  const granted = await answer(page, 'grant');

  await popup.bringToFront();
  await popup.reload();
  await popup.getByRole('tab', { name: 'Keys' }).click();
  await popup.getByRole('listitem', { name: /^Key / }).getByRole('meter').first().waitFor({ timeout: 30_000 });
  await both(popup, 'popup-keys');
  await popup.getByRole('listitem', { name: /^Key / }).getByRole('button', { name: 'Revoke' }).click();
  await both(popup, 'popup-keys-revoke');
  await popup.getByRole('button', { name: 'Cancel' }).click();

  // The key's history: the agent spends 60 USDC, then asks for 50 more with its own gas limits
  // (refused in execution, onchain); the timeline shows both, the chart today's 60 under the limit.
  const { context: grantContext } = (granted as { result: { context: Hex }[] }).result[0]!;
  await spendThenOpenHistory(popup, devnet(), address as Address, grantContext, agent, PAYEE);
  await both(popup, 'popup-key-history');
  await popup.getByRole('button', { name: 'Hide history' }).click();
  await popup.getByRole('button', { name: 'Lock' }).click();
  await popup.getByRole('button', { name: 'Unlock' }).waitFor();
  await both(popup, 'popup-unlock');
});
