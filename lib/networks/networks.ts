// Networks the wallet knows: a chain RPC URL, an ERC-4337 bundler URL, and the addresses of the
// contracts on that chain (the devnet's JSON carries all of them; Functor's own are CREATE2
// addresses, the same on every chain).
import { z } from 'zod';
import { devnetConfigSchema, type DevnetConfig } from '../chain/devnetConfig.js';
import { ACCOUNT_KINDS } from '../accounts/kinds.js';

export const networkAddressesSchema = devnetConfigSchema
  .pick({
    entryPoint: true,
    functor: true,
    tokens: true,
    kernel: true,
    nexus: true,
    safe: true,
  })
  .extend({
    // Absent on a chain without MetaMask's Delegation Framework: grants there have the UserOp path only.
    delegationFramework: devnetConfigSchema.shape.delegationFramework.optional(),
    // The devnet's test tokens; a public network has none of its own.
    tokens: devnetConfigSchema.shape.tokens.optional(),
  });
export type NetworkAddresses = z.infer<typeof networkAddressesSchema>;

const httpUrl = z
  .string()
  .trim()
  .url('not a URL')
  .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');

export const networkSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(64),
  chainId: z.number().int().positive(),
  rpcUrl: httpUrl,
  bundlerUrl: httpUrl,
  explorerUrl: httpUrl.optional(),
  addresses: networkAddressesSchema,
  /** The account kinds the wallet derives for the owner here (default: all); others can be imported by address. */
  kinds: z.array(z.enum(ACCOUNT_KINDS)).min(1).optional(),
  /** 'devnet': refreshed from the devnet's JSON each time it is read; 'user': added by hand. */
  source: z.enum(['devnet', 'user']),
});
export type WalletNetwork = z.infer<typeof networkSchema>;

export const DEVNET_NETWORK_ID = 'devnet';

export function networkFromDevnet(c: DevnetConfig): WalletNetwork {
  return {
    id: DEVNET_NETWORK_ID,
    name: 'Local devnet',
    chainId: c.chainId,
    rpcUrl: c.rpcUrl,
    bundlerUrl: c.bundlerUrl,
    addresses: networkAddressesSchema.parse(c),
    source: 'devnet',
  };
}

/** What the popup's "Add network" form sends. */
export const addNetworkInputSchema = z.object({
  /** Optional for a known network (its name is the default). */
  name: z.string().trim().min(1, 'a name is needed').max(64).optional(),
  rpcUrl: httpUrl,
  bundlerUrl: httpUrl,
  explorerUrl: httpUrl.optional(),
  /** A devnet-style JSON with the account contracts' addresses; default: the devnet's. */
  addressesUrl: httpUrl.optional(),
  /** One of the public networks the wallet knows (known.ts): its chain id, which the RPC must answer with. */
  known: z.number().int().positive().optional(),
});
export type AddNetworkInput = z.infer<typeof addNetworkInputSchema>;

export const hexChainId = (id: number) => `0x${id.toString(16)}` as const;
