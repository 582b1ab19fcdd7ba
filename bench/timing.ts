// The extension's own timings, in real Chromium with the built extension against the bench's
// devnet: from a dapp's wallet_requestExecutionPermissions to the approval window showing its
// Approve button, and from the click on Approve to the dapp holding the answer (the grant landed
// onchain). Medians of several runs; each run is a fresh request for a fresh agent.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { parseUnits, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Devnet } from '../devnet/devnet.js';
import { publicClientFor } from '../lib/accounts/clients.js';
import { toOwnerAccount } from '../lib/accounts/toOwnerAccount.js';
import { answer, importOwner, startRequest } from '../e2e/dapp.js';
import { networkOf } from '../e2e/agent.js';

export type Timing = { runs: number; requestToApprovalWindowMs: number[]; approveToGrantLandedMs: number[] };

export async function measureExtension(root: string, devnet: Devnet, runs: number, log: (s: string) => void): Promise<Timing> {
  const outDir = path.join(root, '.output', 'bench');
  execFileSync(path.join(root, 'node_modules', '.bin', 'wxt'), ['build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, FUNCTOR_OUT_DIR: outDir, WXT_FUNCTOR_DEVNET_URL: devnet.configUrl! },
  });
  const extension = path.join(outDir, 'chrome-mv3');
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>dapp</title>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const pageUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const context = await chromium.launchPersistentContext('', {
    headless: true,
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-extensions-except=${extension}`,
      `--load-extension=${extension}`,
    ],
  });
  const out: Timing = { runs, requestToApprovalWindowMs: [], approveToGrantLandedMs: [] };
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    const c = devnet.config;
    const ownerKey = generatePrivateKey();
    await importOwner(context, extensionId, ownerKey);
    const pub = publicClientFor(networkOf(c));
    const kernel = await toOwnerAccount({ kind: 'kernel', client: pub, owner: privateKeyToAccount(ownerKey), addresses: c });
    await pub.request({ method: 'anvil_setBalance' as never, params: [kernel.address, toHex(10n ** 19n)] as never });
    const page = await context.newPage();
    await page.goto(pageUrl);
    // One run not measured: the first grant also deploys the account and installs Functor.
    for (let i = 0; i <= runs; i++) {
      const agent = privateKeyToAccount(generatePrivateKey());
      const request = [
        {
          chainId: toHex(c.chainId),
          to: agent.address,
          permission: {
            type: 'erc20-token-periodic',
            isAdjustmentAllowed: false,
            data: { tokenAddress: c.tokens.usdc, periodAmount: toHex(parseUnits('100', 6)), periodDuration: 86_400 },
          },
        },
      ];
      const opened = context.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html') });
      const t0 = performance.now();
      await startRequest(page, `r${i}`, 'wallet_requestExecutionPermissions', request);
      const w = await opened;
      await w.getByRole('button', { name: 'Approve' }).waitFor();
      const t1 = performance.now();
      await w.getByRole('button', { name: 'Approve' }).click();
      const result = await answer(page, `r${i}`);
      const t2 = performance.now();
      if (!('result' in result)) throw new Error(`grant failed: ${JSON.stringify(result)}`);
      await w.close();
      if (i === 0) continue;
      out.requestToApprovalWindowMs.push(Math.round(t1 - t0));
      out.approveToGrantLandedMs.push(Math.round(t2 - t1));
      log(`extension run ${i}: window shown in ${Math.round(t1 - t0)} ms, grant landed ${Math.round(t2 - t1)} ms after Approve`);
    }
  } finally {
    await context.close();
    server.close();
  }
  return out;
}
