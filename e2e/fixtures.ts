// A persistent Chromium context with the built extension, and a small page server for the tests.
import { test as base, chromium, type BrowserContext } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// scripts/test-e2e.mjs builds a copy for the e2e devnet's port; by default, the usual build.
const extensionDir = process.env.FUNCTOR_E2E_EXTENSION ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.output', 'chrome-mv3');

export const test = base.extend<{ context: BrowserContext; extensionId: string; pageUrl: string }>({
  context: async ({}, use) => {
    const context = await chromium.launchPersistentContext('', {
      headless: true,
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
      ],
    });
    await use(context);
    await context.close();
  },
  extensionId: async ({ context }, use) => {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await use(new URL(worker.url()).host);
  },
  pageUrl: async ({}, use) => {
    const server: Server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>dapp</title><h1>dapp</h1>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as { port: number };
    await use(`http://127.0.0.1:${port}/`);
    server.close();
  },
});

export { expect } from '@playwright/test';
