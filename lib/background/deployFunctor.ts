// Deploying Functor from the popup, on a network that lacks it: one operation from one of the
// owner's accounts (it pays the gas), calling the CREATE2 factory for each contract missing, so
// Functor lands at the addresses it has on every chain. In two steps the popup shows as they happen:
// the operation is checked and sent, then it lands and the contracts are read back as Functor's.
import { getAddress, type Address, type Hex } from 'viem';
import { FUNCTOR_BYTECODE } from '../abi/bytecode.js';
import { smartAccountClientFor } from '../accounts/clients.js';
import { assertChainCanHoldFunctor, functorAddresses, missingFunctorCalls, verifyFunctor } from '../deploy/functor.js';
import { KIND_NAMES, networkClients } from './accounts.js';
import type { BackgroundContext } from './context.js';
import { reasonOf } from './grant.js';
import { sendOwnerUserOp } from './ownerNonce.js';

export type DeploySent = { userOpHash: Hex; account: { kind: string; name: string; address: Address }; deploying: string[] };

/** Checks the chain, picks the account (the one named, else the first) and sends the operation. */
export async function sendFunctorDeploy(ctx: BackgroundContext, address?: Address): Promise<DeploySent | { already: true }> {
  const net = await ctx.activeNetwork();
  const client = ctx.client(net);
  const at = functorAddresses(FUNCTOR_BYTECODE);
  const f = net.addresses.functor;
  // A network configured with other Functor addresses (an addresses file) would not use what lands here.
  for (const [name, mine, theirs] of [
    ['KeyStore', at.keyStore, f.keyStore],
    ['FunctorPolicyHook', at.policyHook, f.policyHook],
    ['FunctorValidator', at.validator, f.validator],
  ] as const)
    if (getAddress(mine) !== getAddress(theirs))
      throw new Error(`${net.name} names its ${name} at ${theirs}; this release deploys it at ${mine}: change the network's addresses first`);
  await assertChainCanHoldFunctor(client);
  const missing = await missingFunctorCalls(client, FUNCTOR_BYTECODE);
  if (!missing.length) {
    await verifyFunctor(client, at.keyStore, at.deployer);
    return { already: true };
  }
  const owned = await ctx.ownerAccounts(net);
  const acc = address ? owned.find((a) => a.address === getAddress(address)) : owned[0];
  if (!acc) throw new Error(address ? "Not one of this wallet's accounts on this network" : 'This wallet has no account on this network');
  const client4337 = smartAccountClientFor(networkClients(net), acc.account);
  try {
    const sent = await sendOwnerUserOp(
      client4337,
      acc.account,
      missing.map((m) => ({ ...m.call, value: 0n })),
      net.chainId,
    );
    return {
      userOpHash: sent.hash,
      account: { kind: acc.kind, name: KIND_NAMES[acc.kind], address: acc.address },
      deploying: missing.map((m) => m.name),
    };
  } catch (e) {
    // A bundler whose gas search gives up on an op this large answers with a failed request, which
    // would otherwise read as a network that does not answer.
    const text = e instanceof Error ? `${e.message} ${(e as { details?: string }).details ?? ''}` : String(e);
    // (An empty revert in simulation is the same: a bundler simulating with less call gas than
    // these CREATEs take, e.g. Alto's default 10M.)
    const why = /simulate validation result|binary search|reverted during simulation with reason: 0x(?![0-9a-f])/i.test(text)
      ? `the bundler at ${net.bundlerUrl} could not estimate an operation this large (Functor's contracts in one operation): deploy Functor with \`npm run deploy\` instead`
      : reasonOf(e, net);
    throw new Error(`Deploying Functor from ${KIND_NAMES[acc.kind]} was not sent: ${why}`);
  }
}

/** Waits for the operation, then reads Functor back: its addresses, or why it is not there. */
export async function awaitFunctorDeploy(ctx: BackgroundContext, userOpHash: Hex) {
  const net = await ctx.activeNetwork();
  const at = functorAddresses(FUNCTOR_BYTECODE);
  const account = (await ctx.ownerAccounts(net))[0];
  if (!account) throw new Error('This wallet has no account on this network');
  const bundler = smartAccountClientFor(networkClients(net), account.account);
  const receipt = await bundler.waitForUserOperationReceipt({ hash: userOpHash, timeout: 120_000 }).catch((e) => {
    throw new Error(`No receipt for the deployment (${reasonOf(e, net)})`);
  });
  if (!receipt.success) throw new Error(`The deployment reverted onchain (transaction ${receipt.receipt.transactionHash})`);
  const { keyStore, policyHook, validator } = await verifyFunctor(ctx.client(net), at.keyStore, at.deployer);
  return { transactionHash: receipt.receipt.transactionHash, addresses: { keyStore, policyHook, validator } };
}
