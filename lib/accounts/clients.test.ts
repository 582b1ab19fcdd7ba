import { describe, expect, it } from 'vitest';
import { createPublicClient, http } from 'viem';
import { devnetChain, isLocalRpc, LOCAL_BLOCK_TIME_MS } from './clients.js';

describe('devnetChain', () => {
  it('with localPolling, a node on this machine gets a 1 s block time: viem polls it (receipts, UserOp receipts) every 500 ms', () => {
    for (const url of ['http://127.0.0.1:8545', 'http://localhost:4337', 'http://[::1]:8545']) {
      expect(isLocalRpc(url), url).toBe(true);
      expect(devnetChain(31337, url).blockTime, 'not by default').toBeUndefined();
      const chain = devnetChain(31337, url, { localPolling: true });
      expect(chain.blockTime).toBe(LOCAL_BLOCK_TIME_MS);
      expect(createPublicClient({ chain, transport: http(url) }).pollingInterval).toBe(500);
    }
  });
  it('another network keeps viem default (no block time: polls every 4 s)', () => {
    for (const url of ['https://sepolia.example.org/rpc', 'http://10.0.0.2:8545', 'not a url']) {
      expect(isLocalRpc(url), url).toBe(false);
      const chain = devnetChain(11155111, url, { localPolling: true });
      expect(chain.blockTime).toBeUndefined();
      expect(chain.id).toBe(11155111);
    }
    expect(createPublicClient({ chain: devnetChain(1, 'https://rpc.example.org'), transport: http('https://rpc.example.org') }).pollingInterval).toBe(4000);
  });
});
