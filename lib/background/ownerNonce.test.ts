// Owner ops on a steady nonce key: key 0 unless a key-0 op of the account is in flight or the bundler
// reports a nonce conflict. A recording stand-in for the smart-account client (the real one runs in
// test/integration/background.test.ts, which checks the keys of landed ops).
import type { Address, Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { NONCE_CONFLICT, type OwnerOpSender, PREFUND_MARGIN, sendOwnerUserOp } from './ownerNonce.js';

const call = { to: '0x000000000000000000000000000000000000b0b0' as Address, data: '0x' as Hex, value: 1n };
let n = 0;

function world(fail?: (attempt: number) => Error | undefined) {
  const sent: { nonce?: bigint; verificationGasLimit?: bigint }[] = [];
  const keys: (bigint | undefined)[] = [];
  const account = {
    address: `0x${(++n).toString(16).padStart(40, '0')}` as Address,
    async getNonce(p?: { key?: bigint }) {
      keys.push(p?.key);
      return (p?.key ?? 99n) << 64n;
    },
  };
  const landed = new Set<Hex>();
  const client: OwnerOpSender = {
    async prepareUserOperation() {
      return { verificationGasLimit: 100_000n };
    },
    async sendUserOperation(args) {
      sent.push(args.verificationGasLimit === undefined ? { nonce: args.nonce } : { nonce: args.nonce, verificationGasLimit: args.verificationGasLimit });
      const e = fail?.(sent.length);
      if (e) throw e;
      return `0x${sent.length.toString(16).padStart(64, '0')}` as Hex;
    },
    async getUserOperationReceipt({ hash }) {
      if (!landed.has(hash)) throw new Error('User Operation receipt not found');
      return { success: true };
    },
  };
  return { account, client, sent, keys, landed };
}

describe('owner ops on a steady nonce key', () => {
  it('sends one op after another on key 0', async () => {
    const w = world();
    for (let i = 0; i < 2; i++) {
      const r = await sendOwnerUserOp(w.client, w.account, [call]);
      expect(r.steadyKey).toBe(true);
      r.release();
    }
    expect(w.keys).toEqual([0n, 0n]);
    // The bundler's verification estimate plus the prefund margin (see PREFUND_MARGIN).
    const steady = { nonce: 0n, verificationGasLimit: 100_000n + PREFUND_MARGIN };
    expect(w.sent).toEqual([steady, steady]);
  });

  it('sends on a fresh key while a key-0 op of the same account is in flight, and on key 0 again once it has landed', async () => {
    const w = world();
    const first = await sendOwnerUserOp(w.client, w.account, [call]);
    const second = await sendOwnerUserOp(w.client, w.account, [call]);
    expect([first.steadyKey, second.steadyKey]).toEqual([true, false]);
    expect(w.sent[1]).toEqual({ nonce: undefined }); // viem picks its fresh key
    // Another account is not held up by this one.
    const other = world();
    expect((await sendOwnerUserOp(other.client, other.account, [call])).steadyKey).toBe(true);
    // The first lands (no release called, as for wallet_sendCalls): the bundler's receipt frees key 0.
    w.landed.add(first.hash);
    expect((await sendOwnerUserOp(w.client, w.account, [call])).steadyKey).toBe(true);
  });

  it('frees key 0 at once on release, and ignores a second release', async () => {
    const w = world();
    const first = await sendOwnerUserOp(w.client, w.account, [call]);
    first.release();
    const second = await sendOwnerUserOp(w.client, w.account, [call]);
    first.release(); // must not free the key second holds
    expect((await sendOwnerUserOp(w.client, w.account, [call])).steadyKey).toBe(false);
    expect(second.steadyKey).toBe(true);
  });

  it('gives key 0 to one of two ops sent at the same moment', async () => {
    const w = world();
    const both = await Promise.all([sendOwnerUserOp(w.client, w.account, [call]), sendOwnerUserOp(w.client, w.account, [call])]);
    expect(both.map((r) => r.steadyKey).sort()).toEqual([false, true]);
  });

  it('falls back to a fresh key when the bundler reports a nonce conflict', async () => {
    const w = world((attempt) => (attempt === 1 ? new Error('AA25 invalid account nonce: User operation already present in mempool') : undefined));
    const r = await sendOwnerUserOp(w.client, w.account, [call]);
    expect(r.steadyKey).toBe(false);
    expect(w.sent).toEqual([{ nonce: 0n, verificationGasLimit: 100_000n + PREFUND_MARGIN }, { nonce: undefined }]);
    expect(NONCE_CONFLICT.test('invalid account nonce')).toBe(true);
  });

  it('passes any other error on, once, and frees key 0', async () => {
    const w = world((attempt) => (attempt === 1 ? new Error('fetch failed') : undefined));
    await expect(sendOwnerUserOp(w.client, w.account, [call])).rejects.toThrow('fetch failed');
    expect(w.sent).toHaveLength(1);
    const r = await sendOwnerUserOp(w.client, w.account, [call]);
    expect(r.steadyKey).toBe(true);
  });
});
