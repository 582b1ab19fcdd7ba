// An approved wallet_sendCalls: the owner's calls go out as one UserOp from the account the site
// named (or its first); the site gets the UserOp's hash as the bundle id at once, and the bundle
// is recorded for wallet_getCallsStatus.
import { getAddress, type Hex } from 'viem';
import { smartAccountClientFor } from '../../accounts/clients.js';
import type * as wallet_sendCalls from '../../protocol/rpc/wallet_sendCalls.js';
import { networkClients } from '../accounts.js';
import { reasonOf } from '../grant.js';
import { sendOwnerUserOp } from '../ownerNonce.js';
import type { Runner } from './runner.js';

export const runSendCalls: Runner = async (ctx, a, _, progress) => {
  // Stored as the page sent them, after wallet_sendCalls's schema accepted them.
  const [p] = a.params as wallet_sendCalls.Parameters;
  const net = await ctx.activeNetwork();
  const conn = (await ctx.state.connections.read())[a.origin];
  const from = p.from ? getAddress(p.from) : conn?.accounts[0];
  const acc = (await ctx.ownerAccounts(net)).find((x) => x.address === from);
  if (!acc) throw new Error('The site named an account this wallet does not hold here');
  const client = smartAccountClientFor(networkClients(net), acc.account);
  await progress('Sending the transaction…');
  let hash: Hex;
  try {
    const calls = p.calls.map((c) => ({ to: getAddress(c.to), data: (c.data ?? '0x') as Hex, value: c.value ? BigInt(c.value) : 0n }));
    const sent = await sendOwnerUserOp(client, acc.account, calls, net.chainId);
    // The site gets its id now; the account's next owner op asks whether this one has landed.
    hash = sent.hash;
  } catch (e) {
    throw new Error(`Not sent: ${reasonOf(e, net)}`);
  }
  const bundles = await ctx.state.callBundles.read();
  bundles[hash.toLowerCase()] = { origin: a.origin, networkId: net.id, chainId: net.chainId, userOpHash: hash, from: acc.address };
  await ctx.state.callBundles.write(bundles);
  await progress(`Sent (UserOp ${hash.slice(0, 10)}…)`);
  return { id: hash };
};
