// Installs Functor (FunctorPolicyHook as validator and hook, in the roles the account lacks) on one
// of the owner's accounts, with an owner op.
import { getAddress } from 'viem';
import { functorInstallCalls, functorStatus } from '../../../accounts/functorModules.js';
import { wordsOf } from '../../../protocol/errors.js';
import { describeAccounts, KIND_NAMES } from '../../accounts.js';
import { ownerOp, reasonOf } from '../../grant.js';
import { ok, refuse, uiHandler } from '../uiHandler.js';

export const install = uiHandler('ui:install', {
  requiresUnlock: true,
  async handle(ctx, req) {
    const net = await ctx.activeNetwork();
    const acc = (await ctx.ownerAccounts(net)).find((a) => a.address === getAddress(req.address));
    if (!acc) return refuse("Not one of this wallet's accounts");
    const [view] = await describeAccounts(net, [acc]);
    if (view?.otherHook) return refuse(`${KIND_NAMES[acc.kind]} already has another global hook (${view.otherHook}): remove it first`);
    if (view?.validator && view.hook) return ok(req.type, { already: true });
    try {
      const f = net.addresses.functor;
      const have = await functorStatus(acc.kind, ctx.client(net), acc.address, f);
      const calls = await functorInstallCalls(acc.kind, acc.account, f, have);
      const tx = await ownerOp(
        net,
        acc,
        calls.map((c) => ({ to: c.to, data: c.data, value: c.value })),
        'Installing Functor',
      );
      return ok(req.type, { transactionHash: tx });
    } catch (e) {
      return refuse(e instanceof Error ? wordsOf(e) : reasonOf(e, net));
    }
  },
});
