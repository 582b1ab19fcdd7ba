// Approval windows and the page's waiting request. (Stopping the extension's worker from CDP
// takes this Chromium down with it, so worker restarts are covered by lib/background's unit
// tests: a second background on the same storage shows and answers the request.)
import { devnet, importOwner, requestWithApproval, answer } from './dapp';
import { expect, test } from './fixtures';

test('closing the approval window rejects the request (4001)', async ({ context, extensionId, pageUrl }) => {
  await importOwner(context, extensionId, devnet().owners[1]!.privateKey);
  const page = await context.newPage();
  await page.goto(pageUrl);
  const approval = await requestWithApproval(context, page, 'connect', 'eth_requestAccounts');
  await approval.close();
  expect(await answer(page, 'connect')).toEqual({ error: { code: 4001, message: 'User rejected the request' } });
});
