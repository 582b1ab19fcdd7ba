// A network the user adds: its RPC and bundler checked, its Functor addresses read from the file
// it names (or the devnet's).
import { checkNetwork } from '../../../networks/check.js';
import { networkAddressesSchema, type WalletNetwork } from '../../../networks/networks.js';
import { ok, refuse, uiHandler } from '../uiHandler.js';

export const addNetwork = uiHandler('ui:addNetwork', {
  async handle(ctx, req) {
    const input = req.input;
    let addresses = (await ctx.devnetNetwork())?.addresses;
    if (input.addressesUrl) {
      const res = await ctx.fetchFn(input.addressesUrl, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
      if (!res?.ok) return refuse(`The addresses file at ${input.addressesUrl} could not be read`);
      const json = await res.json().catch(() => undefined);
      const a = networkAddressesSchema.safeParse(json);
      if (!a.success) return refuse('The addresses file is not a Functor network file');
      addresses = a.data;
    }
    if (!addresses) return refuse("Give the URL of the network's addresses file (e.g. a devnet.json)");
    const check = await checkNetwork({ rpcUrl: input.rpcUrl, bundlerUrl: input.bundlerUrl, addresses }, ctx.fetchFn);
    if (check.chainId === undefined) return { ...refuse(check.problems.join('; ')), check };
    const all = await ctx.state.userNetworks.read();
    const net: WalletNetwork = {
      id: `user-${check.chainId}-${all.length + 1}`,
      name: input.name,
      chainId: check.chainId,
      rpcUrl: input.rpcUrl,
      bundlerUrl: input.bundlerUrl,
      ...(input.explorerUrl && { explorerUrl: input.explorerUrl }),
      addresses,
      source: 'user',
    };
    await ctx.state.userNetworks.write([...all, net]);
    // Added even when contracts are missing (the user may deploy them), but said loudly.
    return ok(req.type, { network: { id: net.id, name: net.name, chainId: net.chainId }, check });
  },
});
