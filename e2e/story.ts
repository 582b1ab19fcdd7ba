// The whole story as a user and a dapp live it (issue 6), in steps: the owner installs Functor
// from the popup, the demo dapp connects and asks for 100 USDC per day, the approval shows exactly
// that, the agent spends, is refused, waits a day, gets a new session key with its counters
// carried over, and is cut off by one Revoke. Used by e2e/story.spec.ts (each account kind) and by
// `npm run demo` (demo/story.ts), which prints the steps and keeps the screenshots.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from '@playwright/test';
import { toHex, type Hex } from 'viem';
import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import { publicClientFor } from '../lib/accounts/clients.js';
import type { AccountKind } from '../lib/accounts/kinds.js';
import type { DevnetConfig } from '../lib/chain/devnetConfig.js';
import { decodeContext } from '../lib/erc7715/response.js';
import { agentFor, FORCED_GAS, fund, networkOf } from './agent';
import { importOwner } from './dapp';

const NAMES: Record<AccountKind, string> = { kernel: 'Kernel', nexus: 'Nexus', safe: 'Safe' };

export type StoryOptions = {
  context: BrowserContext;
  extensionId: string;
  /** The demo dapp's URL, with ?devnet= pointing at the devnet's JSON. */
  demoUrl: string;
  c: DevnetConfig;
  kind: AccountKind;
  log: (line: string) => void;
  screenshots: string;
};

/** Polls until `f` holds (the popup refreshes from chain every few seconds). */
async function until(what: string, f: () => Promise<boolean>, timeoutMs = 60_000, shown?: Locator) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await f().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  // What the page shows says more than the timeout (an error the wallet reported, a step it stopped at).
  const text = shown ? await shown.innerText().catch(() => '(page gone)') : undefined;
  throw new Error(`Timed out waiting for: ${what}${text === undefined ? '' : `; the page shows: ${text.replace(/\s+/g, ' ').slice(0, 600)}`}`);
}
const hasText = (l: Locator, t: string | RegExp) => async () => {
  const text = await l.innerText();
  return typeof t === 'string' ? text.includes(t) : t.test(text);
};
function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`Failed: ${what}`);
}

async function approvalWindow(context: BrowserContext, trigger: () => Promise<unknown>): Promise<Page> {
  const opened = context.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html'), timeout: 30_000 });
  await trigger();
  const w = await opened;
  await w.waitForLoadState();
  await w.getByRole('button', { name: 'Approve' }).waitFor();
  return w;
}

/** In an approval window: only this kind's account ticked. */
async function chooseOnly(w: Page, kind: AccountKind) {
  for (const k of Object.values(NAMES)) {
    const box = w.getByRole('checkbox', { name: new RegExp(`^${k} `) });
    if (k === NAMES[kind]) await box.check();
    else if (await box.isChecked()) await box.uncheck();
  }
}

export async function playStory(o: StoryOptions) {
  const { context, extensionId, c, kind, log } = o;
  mkdirSync(o.screenshots, { recursive: true });
  let n = 0;
  // The extension's screens in both themes (the system's setting, which it follows): NN-name.png and
  // NN-name-dark.png; the demo dapp's in light only (it has no dark theme).
  const shot = async (p: Page, name: string) => {
    const file = `${String(++n).padStart(2, '0')}-${name}`;
    for (const theme of p.url().startsWith('chrome-extension://') ? (['light', 'dark'] as const) : (['light'] as const)) {
      await p.emulateMedia({ colorScheme: theme });
      await p.screenshot({ path: path.join(o.screenshots, `${file}${theme === 'dark' ? '-dark' : ''}.png`), fullPage: true, animations: 'disabled' });
    }
    await p.emulateMedia({ colorScheme: null });
  };
  const pub = publicClientFor(networkOf(c));
  const name = NAMES[kind];

  // 1. The owner, and Functor installed on the account from the popup.
  const popup = await importOwner(context, extensionId, generatePrivateKey());
  await popup.getByRole('tab', { name: 'Accounts' }).click();
  const card = popup.getByRole('listitem', { name: `${name} account` });
  await card.waitFor();
  const account = (await card.locator('.font-mono').first().innerText()).trim() as `0x${string}`;
  await fund(c, account, '1000');
  await popup.reload();
  await popup.getByRole('tab', { name: 'Accounts' }).click();
  await popup.getByRole('button', { name: `Install Functor on ${name}` }).click();
  await until('Functor installed', hasText(popup.getByRole('listitem', { name: `${name} account` }), 'Functor installed'), 90_000);
  log(`1. owner imported; Functor installed on ${name} ${account} from the popup`);
  await shot(popup, 'popup-accounts');

  // 2. The demo dapp connects and asks for 100 USDC per day, only USDC.transfer, 7 days.
  const dapp = await context.newPage();
  await dapp.goto(o.demoUrl);
  let w = await approvalWindow(context, () => dapp.getByRole('button', { name: 'Connect', exact: true }).click());
  await chooseOnly(w, kind);
  await w.getByRole('button', { name: 'Approve' }).click();
  await until('the dapp shows the account', hasText(dapp.getByTestId('account'), account));
  log(`2. the demo dapp is connected to ${account}`);
  await dapp.getByRole('button', { name: 'Generate agent key' }).click();
  const agentKey = (await dapp.getByLabel(/Agent private key/).inputValue()).trim() as Hex;
  const agent = privateKeyToAccount(agentKey);
  await shot(dapp, 'dapp-request');
  w = await approvalWindow(context, () => dapp.getByRole('button', { name: 'Request permission' }).click());

  // 3. The approval shows exactly that; approve; the dapp receives the context.
  check((await w.getByTestId('limit-0').innerText()).includes('Limit: 100 USDC'), 'the approval shows 100 USDC');
  check(await w.getByText('Fixed periods of 24 hours').isVisible(), 'the approval says the period is a fixed day');
  const lines = await w.getByRole('list', { name: 'What the agent may do' }).innerText();
  check(/transfer/.test(lines) && /Expires on .*\(in 7 days\)/.test(lines), `the approval shows transfer only and 7 days (${lines})`);
  await chooseOnly(w, kind);
  await shot(w, 'approval');
  await w.getByRole('button', { name: 'Approve' }).click();
  await until('the grant landed', hasText(w.locator('main'), 'Done.'), 90_000, w.locator('main'));
  await shot(w, 'approval-done');
  await w.close();
  await until(
    'the dapp got the context',
    async () => !!(await dapp.evaluate(() => (window.__functorDemo?.lastGrant as { context?: string }[] | undefined)?.[0]?.context)),
  );
  const context1 = (await dapp.evaluate(() => (window.__functorDemo!.lastGrant as { context: string }[])[0]!.context)) as Hex;
  const { keyId } = decodeContext(context1);
  log(`3. approved: key ${keyId.toString(16).slice(0, 12)}… enabled on ${name}; the dapp holds the context`);
  await shot(dapp, 'dapp-granted');

  // 4. The agent spends 60 and 30; the popup shows 90 / 100 and both in the timeline.
  const bob = privateKeyToAccount(generatePrivateKey()).address;
  const a1 = await agentFor(c, context1, agent);
  for (const amount of ['60', '30']) {
    const r = await a1.transfer(bob, amount);
    check(r.ok, `the agent spends ${amount}`);
    log(`4. agent: ${amount} USDC sent (UserOp ${r.userOpHash.slice(0, 12)}…)`);
  }
  await popup.getByRole('tab', { name: 'Keys' }).click();
  const keyCard = popup.getByRole('listitem', { name: /^Key / }).first();
  await until('90 / 100 USDC in the popup', hasText(keyCard, '90 / 100 USDC'));
  log('4. the popup shows 90 / 100 USDC');

  // 5. The agent asks for 20: refused with a reason; the blocked attempt is in the timeline.
  const refused = await a1.transfer(bob, '20');
  check(!refused.ok, 'the agent is refused 20');
  log(`5. agent: 20 USDC refused (${refused.refusal.error}, ${refused.refusal.stage})`);
  const landed = await a1.transfer(bob, '20', FORCED_GAS);
  check(!landed.ok && landed.transactionHash, 'the forced attempt lands and fails');
  await keyCard.getByRole('button', { name: 'Show history' }).click();
  const history = keyCard.getByLabel('History');
  await until('both transfers and the blocked attempt in the timeline', async () => {
    const t = await history.innerText();
    return (t.match(/transfer/g) ?? []).length >= 2 && /[Bb]locked/.test(t);
  });
  log('5. the timeline shows both transfers and the blocked attempt');
  await shot(popup, 'popup-timeline');

  // 6. A day passes on the chain: the agent spends again.
  await pub.request({ method: 'evm_increaseTime' as never, params: [toHex(86_400)] as never });
  await pub.request({ method: 'evm_mine' as never, params: [] as never });
  check((await a1.transfer(bob, '20')).ok, 'a day later, the agent spends 20');
  log('6. a day later (chain time): the agent spends 20 USDC');

  // 7. The dapp asks for a new session key for the same agent: counters carry over.
  await dapp.getByRole('button', { name: 'Generate agent key' }).click();
  const agent2 = privateKeyToAccount((await dapp.getByLabel(/Agent private key/).inputValue()).trim() as Hex);
  // Same key, same account: the renewed context is byte for byte the first one. Wait for a new answer.
  await dapp.evaluate(() => void (window.__functorDemo = { ...window.__functorDemo, lastGrant: undefined }));
  w = await approvalWindow(context, () => dapp.getByRole('button', { name: 'Request permission' }).click());
  await w.getByRole('checkbox', { name: /Renew this site's existing key/ }).check();
  await w.getByRole('button', { name: 'Approve' }).click();
  await until('the key renewed', hasText(w.locator('main'), 'Done.'), 90_000, w.locator('main'));
  check(
    await w
      .getByRole('list', { name: 'Onchain steps' })
      .getByRole('listitem', { name: /give the key its new session key: landed$/ })
      .isVisible(),
    'the renewal shows its operation landed',
  );
  await w.close();
  await until(
    'the dapp got the renewed context',
    async () => !!(await dapp.evaluate(() => (window.__functorDemo?.lastGrant as { context?: string }[] | undefined)?.[0]?.context)),
  );
  const context2 = (await dapp.evaluate(() => (window.__functorDemo!.lastGrant as { context: string }[])[0]!.context)) as Hex;
  check(decodeContext(context2).keyId === keyId, 'the same keyId');
  const a2 = await agentFor(c, context2, agent2);
  check(!(await a2.transfer(bob, '90')).ok, 'the new session key is refused 90 (20 already used today)');
  check((await a2.transfer(bob, '80')).ok, 'the new session key spends 80');
  check(!(await a1.transfer(bob, '1')).ok, 'the old session key is refused');
  log('7. new session key for the same key: 90 refused (20 already used), 80 sent, the old key refused');

  // 8. Revoke in the popup: the agent is refused at once.
  await popup.reload();
  await popup.getByRole('tab', { name: 'Keys' }).click();
  const card2 = popup.getByRole('listitem', { name: /^Key / }).first();
  await card2.getByRole('button', { name: 'Revoke' }).click();
  await shot(popup, 'popup-revoke');
  await popup.getByRole('alertdialog', { name: 'Confirm revoke' }).getByRole('button', { name: 'Revoke everywhere' }).click();
  await until('revoked in the popup', hasText(card2, 'Revoked'), 60_000, card2);
  const after = await a2.transfer(bob, '1');
  check(!after.ok && after.refusal.stage === 'validation', 'the agent is refused after Revoke');
  log(`8. revoked from the popup: the agent is refused (${after.ok ? '' : after.refusal.error})`);
  await shot(popup, 'popup-revoked');
  return { account, keyId };
}
