// The devnet's JSON file: every address, port and key of one running devnet. Written by
// `npm run devnet`, read by the extension, the agent, the tests and the bench.
import { z } from 'zod';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an address') as unknown as z.ZodType<`0x${string}`>;
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, 'hex') as unknown as z.ZodType<`0x${string}`>;

export const devnetConfigSchema = z.object({
  version: z.literal(1),
  chainId: z.number().int().positive(),
  rpcUrl: z.string().url(),
  bundlerUrl: z.string().url(),
  ports: z.object({ anvil: z.number().int(), bundler: z.number().int() }),
  entryPoint: address,
  functor: z.object({
    keyStore: address,
    deployer: address,
    policyHook: address,
    validator: address,
  }),
  /**
   * MetaMask's Delegation Framework as the kit deployed it (SmartAccountsEnvironment: what
   * `overrideDeployedEnvironment(chainId, version, env)` takes). Its DelegationManager redeems
   * Functor's contexts (ERC-7710).
   */
  delegationFramework: z.object({
    DelegationManager: address,
    EntryPoint: address,
    SimpleFactory: address,
    implementations: z.record(z.string(), address),
    caveatEnforcers: z.record(z.string(), address),
  }),
  tokens: z.object({ usdc: address, dai: address }),
  /**
   * Per account kind, the contracts its accounts are made of, owner validator included (Kernel:
   * ZeroDev's ECDSAValidator; Nexus: Biconomy's K1Validator), at their canonical addresses
   * (lib/networks/canonical.ts) wherever the devnet could lay them there.
   */
  kernel: z.object({ implementation: address, factory: address, ownerValidator: address }),
  nexus: z.object({ implementation: address, factory: address, bootstrap: address, ownerValidator: address }),
  safe: z.object({
    singleton: address,
    singletonL2: address,
    proxyFactory: address,
    multiSend: address,
    multiSendCallOnly: address,
    fallbackHandler: address,
    safe4337Module: address,
    moduleSetup: address,
    safe7579: address,
    launchpad: address,
    registry: address,
  }),
  /** Well-known dev owners (anvil's mnemonic), funded with ETH and USDC. */
  owners: z.array(z.object({ address, privateKey: hex })),
  /** Keys the bundler signs bundles with. */
  bundler: z.object({ executor: address, utility: address }),
});

export type DevnetConfig = z.infer<typeof devnetConfigSchema>;

export function parseDevnetConfig(json: unknown): DevnetConfig {
  return devnetConfigSchema.parse(json);
}
