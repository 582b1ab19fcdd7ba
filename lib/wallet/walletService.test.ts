import { describe, expect, it } from 'vitest';
import { MIN_ITERATIONS } from '../vault/index.js';
import { createWalletService, type KeyValueStore } from './walletService.js';

const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: async (k) => data.get(k), set: async (k, v) => void data.set(k, structuredClone(v)) };
}

function setup(now = { t: 0 }) {
  const store = memoryStore();
  const wallet = createWalletService({ store, autoLockMs: 60_000, now: () => now.t, kdf: { iterations: MIN_ITERATIONS } });
  return { store, wallet, now };
}

describe('wallet service', () => {
  it('imports a private key: unlocked, owner shown, and the key is not in storage in clear', async () => {
    const { store, wallet } = setup();
    const r = await wallet.handle({ type: 'wallet:import', secret: KEY, password: 'correct horse' });
    expect(r).toEqual({ ok: true, status: { hasVault: true, locked: false, owner: ADDRESS } });
    const stored = JSON.stringify([...store.data.values()]);
    expect(stored).not.toContain(KEY.slice(2));
    expect(stored.toLowerCase()).not.toContain(KEY.slice(2, 20));
  });

  it('creates a wallet and shows its phrase once, never in storage', async () => {
    const { store, wallet } = setup();
    const r = await wallet.handle({ type: 'wallet:create', password: 'correct horse' });
    expect(r.ok && r.mnemonic?.split(' ')).toHaveLength(12);
    const phrase = r.ok ? r.mnemonic! : '';
    expect(JSON.stringify([...store.data.values()])).not.toContain(phrase.split(' ').slice(0, 3).join(' '));
    expect(await wallet.handle({ type: 'wallet:status' })).toEqual({ ok: true, status: expect.objectContaining({ locked: false }) });
    expect(JSON.stringify(await wallet.handle({ type: 'wallet:status' }))).not.toContain(phrase);
  });

  it('locks, refuses a wrong password, unlocks with the right one, auto-locks when idle', async () => {
    const { wallet, now } = setup();
    await wallet.handle({ type: 'wallet:import', secret: KEY, password: 'correct horse' });
    expect((await wallet.handle({ type: 'wallet:lock' })).ok).toBe(true);
    expect(await wallet.status()).toEqual({ hasVault: true, locked: true });
    expect(await wallet.handle({ type: 'wallet:unlock', password: 'wrong horse' })).toEqual({
      ok: false,
      error: 'Wrong password.',
      status: { hasVault: true, locked: true },
    });
    expect((await wallet.handle({ type: 'wallet:unlock', password: 'correct horse' })).ok).toBe(true);
    now.t += 61_000;
    expect(await wallet.status()).toEqual({ hasVault: true, locked: true });
  });

  it('refuses bad input and a second wallet, changing nothing', async () => {
    const { store, wallet } = setup();
    for (const bad of [
      null,
      {},
      { type: 'wallet:create' },
      { type: 'wallet:create', password: 'short' },
      { type: 'wallet:import', secret: 'not a key', password: 'correct horse' },
      { type: 'wallet:nuke' },
    ]) {
      expect((await wallet.handle(bad)).ok).toBe(false);
    }
    expect(store.data.size).toBe(0);
    await wallet.handle({ type: 'wallet:import', secret: KEY, password: 'correct horse' });
    const before = JSON.stringify([...store.data.entries()]);
    expect((await wallet.handle({ type: 'wallet:create', password: 'another one' })).ok).toBe(false);
    expect(JSON.stringify([...store.data.entries()])).toBe(before);
  });

  it('a vault it cannot read is never overwritten (it carries its own format version) and says why', async () => {
    const { store, wallet } = setup();
    store.data.set('vault', { version: 9, ciphertext: 'from a newer release' });
    const unlock = await wallet.handle({ type: 'wallet:unlock', password: 'correct horse' });
    expect(unlock).toMatchObject({
      ok: false,
      error: 'This vault has format version 9; this build reads version 1.',
      status: { hasVault: true, locked: true },
    });
    for (const req of [
      { type: 'wallet:create', password: 'correct horse' },
      { type: 'wallet:import', secret: KEY, password: 'correct horse' },
    ]) {
      expect(await wallet.handle(req)).toMatchObject({ ok: false, error: 'A wallet already exists here.' });
    }
    expect(store.data.get('vault')).toEqual({ version: 9, ciphertext: 'from a newer release' });
  });
});
