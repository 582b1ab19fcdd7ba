// The owner's wallet in the real extension: import a private key, lock, a wrong password, unlock;
// the key never reaches storage in clear; a page cannot drive the wallet.
import { expect, test } from './fixtures';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

test('import a private key, lock, refuse a wrong password, unlock; nothing secret in storage', async ({ context, extensionId }) => {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByRole('tab', { name: 'Import a private key' }).click();
  await popup.getByLabel('Private key').fill(KEY);
  await popup.getByLabel('Password', { exact: true }).fill('correct horse');
  await popup.getByLabel('Confirm password').fill('wrong horse');
  // A secret typed is in its field only: not echoed in the page's text, nor in an inline error.
  await expect(popup.getByText('The passwords differ.')).toBeVisible();
  for (const secret of [KEY.slice(2), 'correct horse', 'wrong horse']) expect(await popup.locator('body').innerText()).not.toContain(secret);
  await popup.getByLabel('Confirm password').fill('correct horse');
  await popup.getByRole('button', { name: 'Import wallet' }).click();
  await expect(popup.getByTestId('owner')).toHaveText(ADDRESS);
  expect(await popup.locator('body').innerText()).not.toContain(KEY.slice(2));

  await popup.getByRole('button', { name: 'Lock' }).click();
  await popup.getByLabel('Password').fill('wrong horse');
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.getByRole('alert')).toHaveText('Wrong password.');
  await popup.getByLabel('Password').fill('correct horse');
  await popup.getByRole('button', { name: 'Unlock' }).click();
  await expect(popup.getByTestId('owner')).toHaveText(ADDRESS);

  const stored = await popup.evaluate(async () =>
    JSON.stringify(await (globalThis as unknown as { chrome: { storage: { local: { get: (k: null) => Promise<unknown> } } } }).chrome.storage.local.get(null)),
  );
  expect(stored).toContain('ciphertext');
  expect(stored.toLowerCase()).not.toContain(KEY.slice(2, 34));
});

test('create a wallet: the phrase is shown once', async ({ context, extensionId }) => {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.getByLabel('Password', { exact: true }).fill('correct horse');
  await popup.getByLabel('Confirm password').fill('correct horse');
  await popup.getByRole('button', { name: 'Create wallet' }).click();
  const phrase = (await popup.getByTestId('phrase').textContent()) ?? '';
  expect(phrase.split(' ')).toHaveLength(12);
  await popup.getByRole('button', { name: 'I wrote it down' }).click();
  await popup.reload();
  await expect(popup.getByTestId('owner')).toHaveText(/^0x[0-9a-fA-F]{40}$/);
  await expect(popup.getByTestId('phrase')).toHaveCount(0);
});

test('a web page cannot drive the wallet', async ({ context, pageUrl }) => {
  const page = await context.newPage();
  await page.goto(pageUrl);
  // The content relay forwards only provider requests; a wallet message from a page is refused.
  const answer = await page.evaluate(async () => {
    const eth = (window as unknown as { ethereum: { request: (a: unknown) => Promise<unknown> } }).ethereum;
    return eth.request({ method: 'wallet:status' }).then(
      () => 'resolved',
      (e: { code: number }) => e.code,
    );
  });
  expect(answer).toBe(4200);
});
