// Helpers for tests that play a dapp: set up the wallet, call the page's provider, catch the
// approval window, and read the e2e devnet's addresses.
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { parseDevnetConfig } from '../lib/chain/devnetConfig.js';
import { DEVNET_FILE } from './globalSetup.js';

export const devnet = () => parseDevnetConfig(JSON.parse(readFileSync(DEVNET_FILE, 'utf8')));

/** Imports a private key, or a recovery phrase (words separated by spaces), in the popup. */
export async function importOwner(context: BrowserContext, extensionId: string, secret: string) {
  const phrase = secret.trim().includes(' ');
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByRole('tab', { name: phrase ? 'Import a phrase' : 'Import a private key' }).click();
  await popup.getByLabel(phrase ? 'Secret recovery phrase' : 'Private key').fill(secret);
  await popup.getByLabel('Password', { exact: true }).fill('correct horse');
  await popup.getByLabel('Confirm password').fill('correct horse');
  await popup.getByRole('button', { name: 'Import wallet' }).click();
  await popup.getByTestId('owner').waitFor();
  return popup;
}

/** Starts `request` in the page (not awaited), keyed so `answer` can collect it later. */
export async function startRequest(page: Page, key: string, method: string, params?: unknown) {
  await page.evaluate(
    ({ key, method, params }) => {
      const w = window as unknown as { answers?: Record<string, Promise<unknown>>; ethereum: { request: (a: unknown) => Promise<unknown> } };
      w.answers ??= {};
      w.answers[key] = w.ethereum.request({ method, params }).then(
        (result) => ({ result }),
        (e: { code: number; message: string; data?: unknown }) => ({ error: { code: e.code, message: e.message, data: e.data } }),
      );
    },
    { key, method, params },
  );
}

export const answer = (page: Page, key: string) =>
  page.evaluate((key) => (window as unknown as { answers: Record<string, Promise<unknown>> }).answers[key], key) as Promise<
    { result: unknown } | { error: { code: number; message: string; data?: unknown } }
  >;

export const request = async (page: Page, method: string, params?: unknown) => {
  const key = `k${Math.random()}`;
  await startRequest(page, key, method, params);
  return answer(page, key);
};

/** Starts a request that opens an approval window and returns that window. */
export async function requestWithApproval(context: BrowserContext, page: Page, key: string, method: string, params?: unknown) {
  const opened = context.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html') });
  await startRequest(page, key, method, params);
  const approval = await opened;
  await approval.waitForLoadState();
  return approval;
}
