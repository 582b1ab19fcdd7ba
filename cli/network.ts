// Which chain and bundler to talk to: the devnet's JSON, or any chain's RPC and bundler URLs (the
// KeyStore and EntryPoint then read from the context's module, FunctorPolicyHook).
import { readFileSync } from 'node:fs';
import { type Address, type Chain, createPublicClient, http, type PublicClient, type Transport } from 'viem';
import { functorPolicyHookAbi } from '../lib/abi/generated.js';
import { devnetChain, type Network, publicClientFor } from '../lib/accounts/clients.js';
import { type DevnetConfig, parseDevnetConfig } from '../lib/chain/devnetConfig.js';
import type { FunctorPermissionContext } from '../lib/erc7715/response.js';
import type { NetworkSource } from './args.js';
import { Failure, UsageError } from './io.js';

export type Resolved = {
  net: Network;
  pub: PublicClient<Transport, Chain>;
  keyStore: Address;
  devnet?: DevnetConfig;
};

export async function resolveNetwork(source: NetworkSource, ctx: FunctorPermissionContext): Promise<Resolved> {
  if (source.kind === 'devnet') {
    let devnet: DevnetConfig;
    try {
      devnet = parseDevnetConfig(JSON.parse(readFileSync(source.file, 'utf8')));
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (is the devnet running? npm run devnet)' : (err as Error).message;
      throw new UsageError(`--devnet ${source.file}: ${why}`);
    }
    if (devnet.chainId !== ctx.chainId) throw new UsageError(`the context is for chain ${ctx.chainId}, the devnet is chain ${devnet.chainId}`);
    const net: Network = {
      chain: devnetChain(devnet.chainId, devnet.rpcUrl, { localPolling: true }),
      rpcUrl: devnet.rpcUrl,
      bundlerUrl: devnet.bundlerUrl,
      entryPoint: devnet.entryPoint,
    };
    return { net, pub: publicClientFor(net), keyStore: devnet.functor.keyStore, devnet };
  }
  const probe = createPublicClient({ transport: http(source.rpc) });
  const chainId = await probe.getChainId();
  if (chainId !== ctx.chainId) throw new Failure(`the context is for chain ${ctx.chainId}, ${source.rpc} is chain ${chainId}`);
  const chain = devnetChain(chainId, source.rpc);
  const pub = createPublicClient({ chain, transport: http(source.rpc) });
  // The module knows its KeyStore and EntryPoint: nothing else to configure.
  const [keyStore, entryPoint] = await Promise.all([
    pub.readContract({ address: ctx.hook, abi: functorPolicyHookAbi, functionName: 'keyStore' }),
    pub.readContract({ address: ctx.hook, abi: functorPolicyHookAbi, functionName: 'entryPoint' }),
  ]);
  return { net: { chain, rpcUrl: source.rpc, bundlerUrl: source.bundler, entryPoint }, pub, keyStore };
}
