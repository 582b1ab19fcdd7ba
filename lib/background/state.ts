// Everything the background keeps between service-worker lives, each entry with its schema:
// networks, the active one, per-site connections, grants made to sites, imported accounts, and the
// call bundles sites sent (wallet_sendCalls ids). Each is versioned, with its migrations (store.ts).
import { z } from 'zod';
import { networkSchema } from '../networks/networks.js';
import { ACCOUNT_KINDS } from '../accounts/kinds.js';
import { type EntryOptions, type KeyValueStore, versionedEntry } from './store.js';

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
  /**
   * One approval that granted the key on several chains writes one record per chain, all with the
   * same group (the approval's id): the Keys tab shows them as one key, Revoke ends it on each.
   */
  group: z.string().max(64).optional(),
});
export type GrantRecord = z.infer<typeof grantRecordSchema>;

export const callBundleSchema = z.object({ origin: z.string(), networkId: z.string(), chainId: z.number(), userOpHash: hex, from: address });
export type CallBundle = z.infer<typeof callBundleSchema>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Networks v1 → v2: one `devOwnerValidator` for Kernel and Nexus became each kind's own
 * `ownerValidator` (ZeroDev's ECDSAValidator and Biconomy's K1Validator differ on public chains).
 * A v1 network carried the one validator both kinds used, so both get it; the rest is kept as is.
 */
export function ownerValidatorPerKind(network: unknown): unknown {
  if (!isObject(network) || !isObject(network.addresses)) return network;
  const { devOwnerValidator, ...addresses } = network.addresses;
  if (typeof devOwnerValidator !== 'string' || !isObject(addresses.kernel) || !isObject(addresses.nexus)) return network;
  return {
    ...network,
    addresses: {
      ...addresses,
      kernel: { ...addresses.kernel, ownerValidator: devOwnerValidator },
      nexus: { ...addresses.nexus, ownerValidator: devOwnerValidator },
    },
  };
}

/**
 * Each entry's version and migrations (store.ts): a schema change bumps `version` and adds
 * `migrations[version]`, which turns the previous version's value into the new one. What the first
 * release wrote carries no version and reads as version 1.
 */
export const STATE_STORAGE = {
  networks: { version: 2, migrations: { 2: (v: unknown) => (Array.isArray(v) ? v.map(ownerValidatorPerKind) : v) } },
  devnetNetwork: { version: 2, migrations: { 2: ownerValidatorPerKind } },
  activeNetworkId: { version: 1, migrations: {} },
  connections: { version: 1, migrations: {} },
  grants: { version: 1, migrations: {} },
  importedAccounts: { version: 1, migrations: {} },
  callBundles: { version: 1, migrations: {} },
  keyNames: { version: 1, migrations: {} },
} satisfies Record<string, EntryOptions>;

export function createState(store: KeyValueStore) {
  const v = (key: keyof typeof STATE_STORAGE): EntryOptions => STATE_STORAGE[key];
  return {
    userNetworks: versionedEntry(store, 'networks', z.array(networkSchema), () => [], v('networks')),
    devnetNetwork: versionedEntry(store, 'devnetNetwork', networkSchema.optional(), () => undefined, v('devnetNetwork')),
    activeNetworkId: versionedEntry(store, 'activeNetworkId', z.string().optional(), () => undefined, v('activeNetworkId')),
    connections: versionedEntry(store, 'connections', z.record(connectionSchema), () => ({}), v('connections')),
    grants: versionedEntry(store, 'grants', z.array(grantRecordSchema), () => [], v('grants')),
    imported: versionedEntry(
      store,
      'importedAccounts',
      z.record(z.array(z.object({ kind: z.enum(ACCOUNT_KINDS), address }))),
      () => ({}),
      v('importedAccounts'),
    ),
    callBundles: versionedEntry(store, 'callBundles', z.record(callBundleSchema), () => ({}), v('callBundles')),
    /** Names the user gave keys, by keyId (decimal). */
    keyNames: versionedEntry(store, 'keyNames', z.record(z.string().max(64)), () => ({}), v('keyNames')),
  };
}
export type BackgroundState = ReturnType<typeof createState>;
