// `functor-agent send`: one ERC-20 or native transfer as a UserOp signed by the session key;
// prints the UserOp hash, where it landed or, when refused, the reason in words.
import { type Address, encodeFunctionData, erc20Abi, parseUnits, toHex, zeroAddress } from 'viem';
import { smartAccountClientFor } from '../../lib/accounts/clients.js';
import { explainRefusal } from '../../lib/agent/explain.js';
import { describeRefusal, type Refusal } from '../../lib/permissions/refusal.js';
import { sendCalls } from '../../lib/agent/sendCalls.js';
import { toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import { NATIVE, tokenInfo } from '../../lib/agent/status.js';
import { sessionContextOf } from '../../lib/erc7715/response.js';
import type { Call } from '../../lib/functorMode.js';
import type { Command } from '../args.js';
import { loadContext, loadKey } from '../inputs.js';
import { EXIT, type Io, UsageError } from '../io.js';
import { resolveNetwork } from '../network.js';

export async function send(c: Extract<Command, { command: 'send' }>, io: Io): Promise<number> {
  const { context } = loadContext(c.context, c.index);
  const signer = loadKey(c.key);
  const { net, pub, keyStore, devnet } = await resolveNetwork(c.network, context);
  const tokenAddress: Address | undefined =
    c.token === 'usdc' || c.token === 'dai' ? devnet!.tokens[c.token] : c.token;
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
  const session = sessionContextOf(context, net.entryPoint);
  io.out(`account   ${context.account} (${context.kind}), key ${toHex(context.keyId)}, signer ${signer.address}`);
  io.out(`sending   ${c.amount} ${info.symbol} to ${c.to}`);
  const account = await toFunctorSessionAccount({ client: pub, context: session, signer });
  const res = await sendCalls(smartAccountClientFor(net, account), session, calls);
  if (res.ok) {
    io.out(`userOp    ${res.userOpHash}`);
    io.out(`landed    in tx ${res.transactionHash} (gas used ${res.gasUsed})`);
    return EXIT.ok;
  }
  io.out(`userOp    ${res.userOpHash ?? "not sent: refused in the bundler's simulation"}`);
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
