// A network the user adds, its RPC and bundler checked. A known public network (networks/known.ts)
// takes the canonical addresses and Functor's own, and its RPC must answer with that chain's id;
// another network names a devnet-style addresses file (default: the devnet's addresses).
import { checkNetwork } from '../../../networks/check.js';
import { knownNetwork, PUBLIC_KINDS, publicNetworkAddresses } from '../../../networks/known.js';
import { networkAddressesSchema, type NetworkAddresses, type WalletNetwork } from '../../../networks/networks.js';
import { ok, refuse, uiHandler } from '../uiHandler.js';

export const addNetwork = uiHandler('ui:addNetwork', {
  async handle(ctx, req) {
    const input = req.input;
    const known = input.known === undefined ? undefined : knownNetwork(input.known);
    if (input.known !== undefined && !known) return refuse(`Chain ${input.known} is not one of the networks the wallet knows: add it with an addresses file`);
    let addresses: NetworkAddresses | undefined = known ? publicNetworkAddresses() : (await ctx.devnetNetwork())?.addresses;
    if (input.addressesUrl) {
      const res = await ctx.fetchFn(input.addressesUrl, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      if (!res?.ok) return refuse(`The addresses file at ${input.addressesUrl} could not be read`);
      const json = await res.json().catch(() => undefined);
      const a = networkAddressesSchema.safeParse(json);
      if (!a.success) return refuse('The addresses file is not a Functor network file');
      addresses = a.data;
    }
    if (!addresses) return refuse("Give the URL of the network's addresses file (e.g. a devnet.json)");
    const name = input.name ?? known?.name;
    if (!name) return refuse('A name is needed');
    const check = await checkNetwork({ rpcUrl: input.rpcUrl, bundlerUrl: input.bundlerUrl, addresses, ...(known && { chainId: known.chainId }) }, ctx.fetchFn);
    if (check.chainId === undefined) return { ...refuse(check.problems.join('; ')), check };
    // The wrong chain behind a known network's name: nothing is added.
    if (known && check.chainId !== known.chainId)
      return { ...refuse(`The RPC at ${input.rpcUrl} is chain ${check.chainId}, not ${known.name} (${known.chainId})`), check };
    const all = await ctx.state.userNetworks.read();
    const explorerUrl = input.explorerUrl ?? known?.explorerUrl;
    const net: WalletNetwork = {
      id: `user-${check.chainId}-${all.length + 1}`,
      name,
      chainId: check.chainId,
      rpcUrl: input.rpcUrl,
      bundlerUrl: input.bundlerUrl,
      ...(explorerUrl && { explorerUrl }),
      addresses,
      ...(known && !input.addressesUrl && { kinds: PUBLIC_KINDS }),
      source: 'user',
    };
    await ctx.state.userNetworks.write([...all, net]);
    // Added even when contracts are missing (the user may deploy them), but said loudly.
    return ok(req.type, { network: { id: net.id, name: net.name, chainId: net.chainId }, check });
  },
});
