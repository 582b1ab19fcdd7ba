// Everything the background keeps between service-worker lives, each entry with its schema:
// networks, the active one, per-site connections, grants made to sites, imported accounts, and the
// call bundles sites sent (wallet_sendCalls ids).
import { z } from 'zod';
import { networkSchema } from '../networks/networks.js';
import { ACCOUNT_KINDS } from '../accounts/kinds.js';
import { type KeyValueStore, typedEntry } from './store.js';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/) as unknown as z.ZodType<`0x${string}`>;
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/) as unknown as z.ZodType<`0x${string}`>;

export const connectionSchema = z.object({ accounts: z.array(address).min(1), connectedAt: z.number() });
export type Connection = z.infer<typeof connectionSchema>;

export const grantRecordSchema = z.object({
  origin: z.string(),
  networkId: z.string(),
  chainId: z.number(),
  /** Decimal string: JSON has no bigint. */
  keyId: z.string(),
  type: z.string(),
  signer: address,
  /** The account that registered the key (its controller): revocation is sent from it. */
  controller: address,
  accounts: z.array(z.object({ kind: z.enum(ACCOUNT_KINDS), address })),
  /** The ERC-7715 answer elements as given to the site (one per account). */
  responses: z.array(z.record(z.unknown())),
  contexts: z.array(hex),
  createdAt: z.number(),
  revokedAt: z.number().optional(),
});
export type GrantRecord = z.infer<typeof grantRecordSchema>;

export const callBundleSchema = z.object({ origin: z.string(), networkId: z.string(), chainId: z.number(), userOpHash: hex, from: address });
export type CallBundle = z.infer<typeof callBundleSchema>;

export function createState(store: KeyValueStore) {
  return {
    userNetworks: typedEntry(store, 'networks', z.array(networkSchema), () => []),
    devnetNetwork: typedEntry(store, 'devnetNetwork', networkSchema.optional(), () => undefined),
    activeNetworkId: typedEntry(store, 'activeNetworkId', z.string().optional(), () => undefined),
    connections: typedEntry(store, 'connections', z.record(connectionSchema), () => ({})),
    grants: typedEntry(store, 'grants', z.array(grantRecordSchema), () => []),
    imported: typedEntry(store, 'importedAccounts', z.record(z.array(z.object({ kind: z.enum(ACCOUNT_KINDS), address }))), () => ({})),
    callBundles: typedEntry(store, 'callBundles', z.record(callBundleSchema), () => ({})),
    /** Names the user gave keys, by keyId (decimal). */
    keyNames: typedEntry(store, 'keyNames', z.record(z.string().max(64)), () => ({})),
  };
}
export type BackgroundState = ReturnType<typeof createState>;
