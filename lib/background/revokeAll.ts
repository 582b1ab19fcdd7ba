// Revoke everything: every live key the owner's accounts registered on one chain ends, in one
// operation per registering account (a key is revoked by its controller; most owners register from
// one account, so one operation per chain). The popup sends one of these per chain at once and
// reports what ended where. A key counts as ended only once the chain reads it revoked.
import { getAbiItem, type Address } from 'viem';
import { keyStoreAbi } from '../abi/generated.js';
import { revokeCall } from '../keystore/calls.js';
import { readKey } from '../keystore/read.js';
import { KIND_NAMES } from './accounts.js';
import type { BackgroundContext } from './context.js';
import { ownerOp, reasonOf } from './grant.js';
import { markRevoked } from './grants.js';
import { networkOf } from './keys.js';

const keyRegistered = getAbiItem({ abi: keyStoreAbi, name: 'KeyRegistered' });

export type RevokeAllReport = {
  chain: { name: string; chainId: number };
  /** Keys the chain now reads revoked (decimal keyIds). */
  ended: string[];
  /** Per registering account whose operation failed: its keys stay live. */
  failed: { account: Address; kind: string; keys: string[]; error: string }[];
};

export async function revokeAllOn(ctx: BackgroundContext, networkId?: string): Promise<RevokeAllReport> {
  const net = await networkOf(ctx, networkId);
  const client = ctx.client(net);
  const keyStore = net.addresses.functor.keyStore;
  const owned = await ctx.ownerAccounts(net);
  const logs = owned.length
    ? await client.getLogs({ address: keyStore, event: keyRegistered, args: { controller: owned.map((o) => o.address) }, fromBlock: 0n })
    : [];
  // Live keys by their controller now (control can be handed over, so read it, not the log's).
  const byController = new Map<Address, bigint[]>();
  for (const keyId of new Set(logs.map((l) => l.args.keyId!))) {
    const key = await readKey(client, keyStore, keyId);
    if (key.revoked) continue;
    const own = owned.find((o) => o.address === key.controller);
    if (!own) continue;
    byController.set(own.address, [...(byController.get(own.address) ?? []), keyId]);
  }
  const report: RevokeAllReport = { chain: { name: net.name, chainId: net.chainId }, ended: [], failed: [] };
  await Promise.all(
    [...byController].map(async ([address, keyIds]) => {
      const acc = owned.find((o) => o.address === address)!;
      try {
        await ownerOp(
          net,
          acc,
          keyIds.map((k) => revokeCall(keyStore, k)),
          'Revoking every key',
        );
      } catch (e) {
        report.failed.push({ account: address, kind: KIND_NAMES[acc.kind], keys: keyIds.map(String), error: reasonOf(e, net) });
        return;
      }
      for (const keyId of keyIds) {
        if ((await readKey(client, keyStore, keyId)).revoked) {
          await markRevoked(ctx, net.id, keyId);
          report.ended.push(keyId.toString());
        } else report.failed.push({ account: address, kind: KIND_NAMES[acc.kind], keys: [keyId.toString()], error: 'the chain still reads it live' });
      }
    }),
  );
  return report;
}
