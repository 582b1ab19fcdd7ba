// `functor-agent send`: one ERC-20 or native transfer, as a UserOp signed by the session key
// (--via userop, the default) or as a redemption of the grant's delegation through the chain's
// DelegationManager, sent from the session key's own address (--via erc7710, MetaMask's kit);
// prints the UserOp hash or the redemption, where it landed or, when refused, the reason in words.
import {
  type Address,
  BaseError,
  createWalletClient,
  encodeFunctionData,
  erc20Abi,
  ContractFunctionRevertedError,
  ExecutionRevertedError,
  formatEther,
  type Hex,
  http,
  InsufficientFundsError,
  type PrivateKeyAccount,
  parseUnits,
  toHex,
  zeroAddress,
} from 'viem';
import { estimateGas, sendTransaction } from 'viem/actions';
import { smartAccountClientFor } from '../../lib/accounts/clients.js';
import { explainRefusal } from '../../lib/agent/explain.js';
import { decodeRefusal, describeRefusal, type Refusal } from '../../lib/permissions/refusal.js';
import { sendCalls } from '../../lib/agent/sendCalls.js';
import { toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import { rollMarginNow } from '../../lib/agent/callGas.js';
import { NATIVE, tokenInfo } from '../../lib/agent/status.js';
import { type FunctorPermissionContext, sessionContextOf } from '../../lib/erc7715/response.js';
import type { Call } from '../../lib/functorMode.js';
import type { Command } from '../args.js';
import { loadContext, loadKey } from '../inputs.js';
import { EXIT, Failure, type Io, UsageError } from '../io.js';
import { type Resolved, resolveNetwork } from '../network.js';

/** How a send ended, whichever way it went: what the shared lines below print. */
type Outcome = { ok: true; transactionHash: Hex; gasUsed: bigint } | { ok: false; transactionHash?: Hex; refusal: Refusal };

export async function send(c: Extract<Command, { command: 'send' }>, io: Io): Promise<number> {
  const { hex, context } = loadContext(c.context, c.index);
  const signer = loadKey(c.key);
  if (c.via === 'erc7710' && !context.delegationManager) throw new UsageError("this grant's chain has no DelegationManager: use the default path");
  const resolved = await resolveNetwork(c.network, context);
  const { net, pub, keyStore, devnet } = resolved;
  const tokenAddress: Address | undefined = c.token === 'usdc' || c.token === 'dai' ? devnet!.tokens[c.token] : c.token;
  const info = tokenAddress ? await tokenInfo(pub, tokenAddress) : NATIVE;
  let value: bigint;
  try {
    value = parseUnits(c.amount, info.decimals);
  } catch {
    throw new UsageError(`--amount ${c.amount}: not a valid ${info.symbol} amount`);
  }
  if (c.amount.split('.')[1] && c.amount.split('.')[1]!.length > info.decimals) {
    throw new UsageError(`--amount ${c.amount}: ${info.symbol} has ${info.decimals} decimals`);
  }
  const calls: Call[] = tokenAddress
    ? [{ to: tokenAddress, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [c.to, value] }) }]
    : [{ to: c.to, value }];
  io.out(`account   ${context.account} (${context.kind}), key ${toHex(context.keyId)}, signer ${signer.address}`);
  io.out(`sending   ${c.amount} ${info.symbol} to ${c.to}`);
  const res = c.via === 'erc7710' ? await viaDelegation(resolved, hex, context, signer, calls[0]!, io) : await viaUserOp(resolved, context, signer, calls, io);
  if (res.ok) {
    io.out(`landed    in tx ${res.transactionHash} (gas used ${res.gasUsed})`);
    return EXIT.ok;
  }
  if (res.transactionHash) io.out(`reverted  in tx ${res.transactionHash}`);
  let refusal: Refusal = res.refusal;
  if (refusal.error === 'ExecutionFailed' || refusal.error === 'Unknown') {
    // Safe7579 turns the hook's revert into ExecutionFailed(): work the reason out from the chain.
    const explained = await explainRefusal(pub, { keyStore, hook: context.hook, account: context.account, keyId: context.keyId }, calls);
    if (explained) refusal = { ...explained, stage: refusal.stage };
  }
  const tokens = { [(tokenAddress ?? zeroAddress).toLowerCase()]: info };
  io.out(`refused   in ${refusal.stage}: ${describeRefusal(refusal, tokens)}`);
  return EXIT.refused;
}

/** The calls as a UserOp through the bundler, signed by the session key. */
async function viaUserOp({ net, pub }: Resolved, context: FunctorPermissionContext, signer: PrivateKeyAccount, calls: Call[], io: Io): Promise<Outcome> {
  const session = sessionContextOf(context, net.entryPoint);
  const account = await toFunctorSessionAccount({ client: pub, context: session, signer });
  const res = await sendCalls(smartAccountClientFor(net, account), session, calls);
  io.out(`userOp    ${res.userOpHash ?? "not sent: refused in the bundler's simulation"}`);
  return res;
}

/**
 * The call as an ERC-7710 redemption: the unmodified kit's sendTransactionWithDelegation, a plain
 * transaction from the session key's address to the DelegationManager, which pays its own gas. A
 * revert (the node's gas estimate, or onchain) is a refusal; anything else could not run.
 */
async function viaDelegation(
  { net, pub, devnet }: Resolved,
  hex: Hex,
  context: FunctorPermissionContext,
  signer: PrivateKeyAccount,
  call: Call,
  io: Io,
): Promise<Outcome> {
  const delegationManager = context.delegationManager!;
  // The kit reports each call to MetaMask's analytics unless told not to: the agent never phones home.
  process.env.DO_NOT_TRACK = '1';
  const [{ erc7710WalletActions }, { overrideDeployedEnvironment }] = await Promise.all([
    import('@metamask/smart-accounts-kit/actions'),
    import('@metamask/smart-accounts-kit/utils'),
  ]);
  // A local chain: its Delegation Framework is the devnet's (MetaMask's local-development way);
  // any other chain: the kit's built-in environment.
  if (devnet) overrideDeployedEnvironment(devnet.chainId, '1.3.0', devnet.delegationFramework);
  const noEth = (why: string) =>
    new Failure(
      `the session key's address ${signer.address} ${why}: --via erc7710 sends from it and pays the gas; fund it with ETH, or use the default path (--via userop)`,
    );
  const balance = await pub.getBalance({ address: signer.address });
  if (balance === 0n) throw noEth('has no ETH');
  io.out(`redeem    through DelegationManager ${delegationManager}, from ${signer.address}`);
  let hash: Hex;
  try {
    const session = sessionContextOf(context, net.entryPoint);
    hash = await createWalletClient({ account: signer, chain: net.chain, transport: http(net.rpcUrl) })
      // The kit sends through this client's sendTransaction: the gas is estimated on the latest block,
      // as nodes do by default, plus the window-roll margin when a boundary is near (callGas.ts).
      .extend((client) => ({
        sendTransaction: (async (args: { gas?: bigint }) => {
          if (args.gas !== undefined) return sendTransaction(client, args as never);
          const [gas, margin] = await Promise.all([estimateGas(client, { ...args, blockTag: 'latest' } as never), rollMarginNow(pub, session)]);
          return sendTransaction(client, { ...args, gas: gas + margin } as never);
        }) as typeof client.sendTransaction,
      }))
      .extend(erc7710WalletActions())
      .sendTransactionWithDelegation({
        account: signer,
        chain: net.chain,
        to: call.to,
        data: call.data,
        value: call.value,
        permissionContext: hex,
        delegationManager,
      });
  } catch (err) {
    if (err instanceof BaseError && err.walk((e) => e instanceof InsufficientFundsError)) throw noEth(`has too little ETH (${formatEther(balance)})`);
    if (!isRevert(err)) throw err;
    return { ok: false, refusal: decodeRefusal(err) };
  }
  io.out(`tx        ${hash}`);
  const receipt = await pub.waitForTransactionReceipt({ hash });
  if (receipt.status === 'success') return { ok: true, transactionHash: hash, gasUsed: receipt.gasUsed };
  return { ok: false, transactionHash: hash, refusal: decodeRefusal('reverted in execution') };
}

/** A revert the node reports (with or without data): the policy's answer, not a failure to run. */
function isRevert(err: unknown): boolean {
  return err instanceof BaseError && Boolean(err.walk((e) => e instanceof ExecutionRevertedError || e instanceof ContractFunctionRevertedError));
}
