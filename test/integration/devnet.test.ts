// The devnet itself: two at once do not collide, and `npm run devnet` stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDevnet } from '../../devnet/devnet.js';
import { parseDevnetConfig } from '../../lib/chain/devnetConfig.js';

const root = path.resolve(__dirname, '..', '..');

async function answers(url: string, method: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
    });
    return (await res.json()).result !== undefined;
  } catch {
    return false;
  }
}

describe('devnet', () => {
  it('started twice at once, the two do not collide, and each stops cleanly', async () => {
    const [a, b] = await Promise.all([startDevnet(), startDevnet()]);
    try {
      expect(a.config.ports.anvil).not.toBe(b.config.ports.anvil);
      expect(a.config.ports.bundler).not.toBe(b.config.ports.bundler);
      for (const d of [a, b]) {
        expect(await answers(d.config.rpcUrl, 'eth_chainId')).toBe(true);
        expect(await answers(d.config.bundlerUrl, 'eth_supportedEntryPoints')).toBe(true);
      }
      // Same contracts, same addresses, on both (CREATE2 everywhere).
      expect(a.config.functor).toEqual(b.config.functor);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(await answers(a.config.rpcUrl, 'eth_chainId')).toBe(false);
    expect(await answers(b.config.bundlerUrl, 'eth_supportedEntryPoints')).toBe(false);
  });

  it('`npm run devnet` writes its JSON file, and on SIGTERM stops everything and removes it', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'functor-devnet-')), 'devnet.json');
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['devnet/main.ts'], {
      cwd: root,
      env: { ...process.env, FUNCTOR_DEVNET_FILE: file, FUNCTOR_DEVNET_CONFIG_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const deadline = Date.now() + 90_000;
    while (!out.includes('Ctrl-C') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(out).toContain('Functor devnet is up');
    const config = parseDevnetConfig(JSON.parse(readFileSync(file, 'utf8')));
    expect(await answers(config.bundlerUrl, 'eth_supportedEntryPoints')).toBe(true);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(await answers(config.rpcUrl, 'eth_chainId')).toBe(false);
    expect(await answers(config.bundlerUrl, 'eth_supportedEntryPoints')).toBe(false);
  });
});
