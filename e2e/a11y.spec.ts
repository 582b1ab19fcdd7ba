// Accessibility in the real extension (issue 19): axe-core on every screen (onboarding, unlock,
// accounts, keys, a key's history, networks, sites, the approval window asking, and after Approve) in both themes,
// reached both ways: the system's setting (emulated colorScheme, the app on "System") and the
// popup's own switch (Light or Dark against the other system setting). No serious or critical
// violation, colour contrast included. And the approval can be answered with the keyboard alone.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createPublicClient, http, parseUnits, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { answer, devnet, importOwner, requestWithApproval } from './dapp';
import { expect, test } from './fixtures';
import { spendThenOpenHistory } from './history';

/** A theme as the user gets it: the system's (app on System), or the app's switch against the system. */
const MODES = [
  { name: 'light (system)', system: 'light', choice: 'System', bg: 'rgb(255, 255, 255)' },
  { name: 'dark (system)', system: 'dark', choice: 'System', bg: 'rgb(15, 17, 21)' },
  { name: 'light (switch)', system: 'dark', choice: 'Light', bg: 'rgb(255, 255, 255)' },
  { name: 'dark (switch)', system: 'light', choice: 'Dark', bg: 'rgb(15, 17, 21)' },
] as const;

type Finding = { screen: string; mode: string; id: string; impact: string; nodes: string[] };

/**
 * Runs axe on `page` in each mode; the switch is the popup's (`popup`, which may be `page`): every
 * page of the extension follows it. Returns the serious and critical findings, and logs a line per
 * screen and mode.
 */
async function axeInEveryTheme(screen: string, page: Page, popup: Page): Promise<Finding[]> {
  const found: Finding[] = [];
  for (const mode of MODES) {
    await page.emulateMedia({ colorScheme: mode.system });
    await popup.emulateMedia({ colorScheme: mode.system });
    await popup.getByRole('radio', { name: mode.choice }).click();
    // The theme has reached this page (it follows the stored choice, or the system's).
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(mode.bg);
    // And every colour has finished changing (a button's hover transition would be measured mid-way).
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            document
              .getAnimations()
              .filter((a) => a.playState === 'running' && !(a.effect as KeyframeEffect | null)?.target?.matches?.('.animate-pulse, .animate-spin')).length,
        ),
      )
      .toBe(0);
    const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    console.log(
      `axe ${screen.padEnd(22)} ${mode.name.padEnd(15)} ${r.passes.length} rules passed, ${r.violations.length} violations (${bad.length} serious or critical)${
        r.violations.length ? `: ${r.violations.map((v) => `${v.id}/${v.impact}`).join(', ')}` : ''
      }`,
    );
    found.push(...bad.map((v) => ({ screen, mode: mode.name, id: v.id, impact: v.impact!, nodes: v.nodes.map((n) => n.target.join(' ')) })));
  }
  await popup.getByRole('radio', { name: 'System' }).click();
  return found;
}

async function fundKernel(popup: Page) {
  await popup.getByRole('tab', { name: 'Accounts' }).click();
  const card = popup.getByRole('listitem', { name: 'Kernel account' });
  const address = (await card.locator('.font-mono').first().innerText()).trim();
  const pub = createPublicClient({ transport: http(devnet().rpcUrl) });
  await pub.request({ method: 'anvil_setBalance' as never, params: [address, toHex(10n ** 18n)] as never });
  return address;
}

test('axe: no serious or critical violation on any screen, in both themes', async ({ context, extensionId, pageUrl }) => {
  // 48 axe runs: about 2 min alone, more beside the other suites under npm test.
  test.setTimeout(480_000);
  const findings: Finding[] = [];
  const popupUrl = `chrome-extension://${extensionId}/popup.html`;

  // Onboarding: a wallet with no vault.
  const first = await context.newPage();
  await first.goto(popupUrl);
  await first.getByRole('button', { name: 'Create wallet' }).waitFor();
  findings.push(...(await axeInEveryTheme('onboarding', first, first)));
  // With an inline error showing.
  await first.getByLabel('Password', { exact: true }).fill('short');
  await first.getByLabel('Confirm password').fill('other');
  findings.push(...(await axeInEveryTheme('onboarding (errors)', first, first)));
  await first.close();

  const popup = await importOwner(context, extensionId, generatePrivateKey());
  const kernel = await fundKernel(popup);
  await popup.reload();
  for (const tab of ['Accounts', 'Keys', 'Networks', 'Sites'] as const) {
    await popup.getByRole('tab', { name: tab }).click();
    if (tab === 'Accounts') await popup.getByRole('listitem', { name: 'Kernel account' }).waitFor();
    if (tab === 'Keys') await popup.getByText('No keys yet.').waitFor();
    findings.push(...(await axeInEveryTheme(tab.toLowerCase(), popup, popup)));
  }

  // The approval window: connect, then a permission, asking and then done.
  const page = await context.newPage();
  await page.goto(pageUrl);
  const connect = await requestWithApproval(context, page, 'connect', 'eth_requestAccounts');
  await connect.getByRole('button', { name: 'Approve' }).waitFor();
  findings.push(...(await axeInEveryTheme('approval: connect', connect, popup)));
  await connect.getByRole('button', { name: 'Approve' }).click();
  expect(await answer(page, 'connect')).toHaveProperty('result');

  const c = devnet();
  const agent = privateKeyToAccount(generatePrivateKey());
  const grant = await requestWithApproval(context, page, 'grant', 'wallet_requestExecutionPermissions', [
    {
      chainId: toHex(31337),
      to: agent.address,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: true,
        data: { tokenAddress: c.tokens.usdc, periodAmount: toHex(parseUnits('100', 6)), periodDuration: 86_400, justification: 'Pay for API calls' },
      },
    },
  ]);
  await grant.getByTestId('sentence').waitFor();
  findings.push(...(await axeInEveryTheme('approval: permission', grant, popup)));
  await grant.getByRole('button', { name: 'Approve' }).click();
  await expect(grant.getByText('Done.')).toBeVisible({ timeout: 90_000 });
  findings.push(...(await axeInEveryTheme('approval: done', grant, popup)));
  const granted = await answer(page, 'grant');
  expect(granted).toHaveProperty('result');

  // Keys with a key, and Revoke's confirmation.
  await popup.bringToFront();
  await popup.getByRole('tab', { name: 'Keys' }).click();
  const card = popup.getByRole('listitem', { name: /^Key / }).first();
  await card.getByRole('meter').first().waitFor({ timeout: 30_000 });
  findings.push(...(await axeInEveryTheme('keys (a key)', popup, popup)));
  await card.getByRole('button', { name: 'Revoke' }).click();
  findings.push(...(await axeInEveryTheme('keys (revoke?)', popup, popup)));
  await card.getByRole('button', { name: 'Cancel' }).click();

  // The key's history: a transfer and a blocked attempt in the timeline, the spend chart, the exports.
  const { context: grantContext } = (granted as { result: { context: Hex }[] }).result[0]!;
  await spendThenOpenHistory(popup, c, kernel as Address, grantContext, agent, privateKeyToAccount(generatePrivateKey()).address);
  findings.push(...(await axeInEveryTheme('keys (history)', popup, popup)));
  await card.getByRole('button', { name: 'Hide history' }).click();

  // Unlock.
  await popup.getByRole('button', { name: 'Lock' }).click();
  await popup.getByRole('button', { name: 'Unlock' }).waitFor();
  findings.push(...(await axeInEveryTheme('unlock', popup, popup)));

  expect(findings).toEqual([]);
});

test('keyboard: Tab reaches Approve in the approval window, Enter approves', async ({ context, extensionId, pageUrl }) => {
  await importOwner(context, extensionId, generatePrivateKey());
  const page = await context.newPage();
  await page.goto(pageUrl);
  const w = await requestWithApproval(context, page, 'connect', 'eth_requestAccounts');
  const approve = w.getByRole('button', { name: 'Approve' });
  await expect(approve).toBeEnabled();
  let tabs = 0;
  while (!(await approve.evaluate((b) => b === document.activeElement)) && tabs < 30) {
    await w.keyboard.press('Tab');
    tabs++;
  }
  expect(tabs).toBeLessThan(30);
  // Focus is shown where it is.
  expect(await approve.evaluate((b) => b.matches(':focus-visible') && getComputedStyle(b).outlineStyle !== 'none')).toBe(true);
  console.log(`keyboard: Approve reached in ${tabs} Tab presses`);
  await w.keyboard.press('Enter');
  const r = await answer(page, 'connect');
  expect(r).toHaveProperty('result');
  expect((r as { result: string[] }).result).toHaveLength(1);
});
