// The owner's UserOps on one steady nonce key per account. viem's smart accounts take a fresh,
// time-based nonce key for every op by default (so parallel ops never collide); Nexus and Safe honour
// it, and the EntryPoint then writes a new nonce slot on every op: about 17,000 gas more than
// reusing a key (`npm run bench` measures it; bench/README.md). The wallet sends on key 0 when none of
// its own key-0 ops on that account is still in flight, and on a fresh key when one is, or when the
// bundler reports a nonce conflict (an op sent before a service-worker restart may still be pending,
// and this in-memory record does not survive the restart).
import type { Hex } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import type { Call } from '../functorMode.js';

/** What a bundler says when an op reuses a nonce that another pending (or landed) op holds. */
export const NONCE_CONFLICT = /AA25|already present in mempool|invalid account nonce/i;

/** The part of a smart-account client this needs (permissionless's, or a stand-in in unit tests). */
export interface OwnerOpSender {
  sendUserOperation(args: { calls: Call[]; nonce?: bigint; verificationGasLimit?: bigint }): Promise<Hex>;
  /** Estimates the op (viem's prepareUserOperation); only its verification gas is used here. */
  prepareUserOperation(args: { calls: Call[]; nonce: bigint }): Promise<{ verificationGasLimit: bigint }>;
  /** Resolves once the op has landed; rejects while it has not (viem's bundler action does). */
  getUserOperationReceipt(args: { hash: Hex }): Promise<unknown>;
}

/**
 * Verification gas added to the bundler's estimate on a reused key. The estimate is simulated
 * without the prefund an account with no EntryPoint deposit sends in validation (a value call and a
 * fresh deposit slot); on a fresh key the new nonce slot happened to cover it, on a reused one the op failed in the bundle (AA26, seen on Nexus through Alto).
 * Unused verification gas is not charged.
 */
export const PREFUND_MARGIN = 40_000n;

/** Chain and account → its key-0 op in flight (its hash, or null while it is being sent). */
const steadyInFlight = new Map<string, Hex | null>();

const textOf = (e: unknown) => (e instanceof Error ? `${e.message} ${(e as { details?: string }).details ?? ''}` : String(e));

/** Is key 0 free for the account: nothing in flight, or what was has landed by now? */
async function steadyKeyFree(client: OwnerOpSender, id: string): Promise<boolean> {
  const hash = steadyInFlight.get(id);
  if (hash === undefined) return true;
  if (hash === null) return false;
  const landed = await client.getUserOperationReceipt({ hash }).then(
    () => true,
    () => false,
  );
  if (landed && steadyInFlight.get(id) === hash) steadyInFlight.delete(id);
  return landed;
}

/**
 * Sends `calls` as an owner op of `account`. `release` may be called once the op has landed or
 * failed, to free key 0 without asking the bundler; calling it more than once is harmless.
 */
export async function sendOwnerUserOp(
  client: OwnerOpSender,
  account: Pick<SmartAccount, 'address' | 'getNonce'>,
  calls: Call[],
  /** The account's chain: one address may be an account on several chains, each with its own nonces. */
  chainId = 0,
): Promise<{ hash: Hex; steadyKey: boolean; release: () => void }> {
  const id = `${chainId}:${account.address.toLowerCase()}`;
  // Re-checked after the await: another op of the account may have taken key 0 meanwhile.
  if ((await steadyKeyFree(client, id)) && !steadyInFlight.has(id)) {
    steadyInFlight.set(id, null);
    try {
      const nonce = await account.getNonce({ key: 0n });
      const { verificationGasLimit } = await client.prepareUserOperation({ calls, nonce });
      const hash = await client.sendUserOperation({ calls, nonce, verificationGasLimit: verificationGasLimit + PREFUND_MARGIN });
      steadyInFlight.set(id, hash);
      const release = () => {
        if (steadyInFlight.get(id) === hash) steadyInFlight.delete(id);
      };
      return { hash, steadyKey: true, release };
    } catch (e) {
      steadyInFlight.delete(id);
      if (!NONCE_CONFLICT.test(textOf(e))) throw e;
    }
  }
  return { hash: await client.sendUserOperation({ calls }), steadyKey: false, release: () => {} };
}
