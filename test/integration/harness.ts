// Shared set-up of the integration suite: one devnet (anvil, contracts, Alto) for the file, the
// owner's Kernel, Nexus and Safe accounts, and helpers for owner and agent operations.
import { type Address, encodeFunctionData, erc20Abi, type Hex, parseUnits, toHex } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import type { SmartAccount } from 'viem/account-abstraction';
import { expect } from 'vitest';
import { startDevnet, type Devnet } from '../../devnet/devnet.js';
import { devTokenAbi } from '../../lib/abi/generated.js';
import { devnetChain, type Network, publicClientFor, smartAccountClientFor } from '../../lib/accounts/clients.js';
import type { AccountKind } from '../../lib/accounts/kinds.js';
import { toOwnerAccount } from '../../lib/accounts/toOwnerAccount.js';
import { explainRefusal } from '../../lib/agent/explain.js';
import { sendCalls, type SendResult } from '../../lib/agent/sendCalls.js';
import { type SessionContext, toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import type { Refusal } from '../../lib/agent/refusal.js';
import type { Call } from '../../lib/functorMode.js';

export const USDC = (n: number | string) => parseUnits(String(n), 6);
export const HOUR = 3600;
export const DAY = 86400;

/** `stepsTracing`: anvil records opcode steps, for struct-log traces (bench/opcodes.ts). */
export async function setUpWorld(opts: { stepsTracing?: boolean } = {}) {
  const devnet: Devnet = await startDevnet({ stepsTracing: opts.stepsTracing });
  const c = devnet.config;
  const net: Network = { chain: devnetChain(c.chainId, c.rpcUrl), rpcUrl: c.rpcUrl, bundlerUrl: c.bundlerUrl, entryPoint: c.entryPoint };
  const pub = publicClientFor(net);
  const owner = privateKeyToAccount(c.owners[0]!.privateKey);

  async function ownerAccount(kind: AccountKind) {
    const account = await toOwnerAccount({ kind, client: pub, owner, addresses: c });
    await pub.request({ method: 'anvil_setBalance' as never, params: [account.address, toHex(10n ** 19n)] as never });
    return { account, client: smartAccountClientFor(net, account) };
  }

  /** An owner UserOp that must land and succeed. */
  async function ownerSend(o: Awaited<ReturnType<typeof ownerAccount>>, calls: Call[]) {
    const hash = await o.client.sendUserOperation({ calls });
    const r = await o.client.waitForUserOperationReceipt({ hash });
    expect(r.success, `owner op on ${o.account.address}`).toBe(true);
    return r;
  }

  function newAgent(): PrivateKeyAccount {
    return privateKeyToAccount(generatePrivateKey());
  }

  async function agentClient(kind: AccountKind, account: Address, keyId: bigint, signer: PrivateKeyAccount) {
    const context: SessionContext = { kind, account, keyId, validator: c.functor.validator, entryPoint: c.entryPoint };
    const session: SmartAccount = await toFunctorSessionAccount({ client: pub, context, signer });
    const client = smartAccountClientFor(net, session);
    return {
      context,
      send: (calls: Call[]): Promise<SendResult> => sendCalls(client, context, calls),
    };
  }

  /**
   * Why an agent's op was refused. Safe7579 turns the modules' reverts into `ExecutionFailed()`, so
   * there (as DESIGN 2.1 says) the reason is worked out from chain state instead.
   */
  async function reasonOf(res: SendResult, context: SessionContext, calls: Call[]): Promise<Refusal> {
    if (res.ok) throw new Error('the op was not refused');
    const r = res.refusal;
    if (r.error !== 'ExecutionFailed' && r.error !== 'Unknown') return r;
    const explained = await explainRefusal(pub, { keyStore: c.functor.keyStore, hook: c.functor.policyHook, account: context.account, keyId: context.keyId }, calls);
    return explained ? { ...explained, stage: r.stage } : r;
  }

  const transfer = (to: Address, amount: bigint, token: Address = c.tokens.usdc): Call => ({
    to: token,
    data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
  });
  const mint = (to: Address, amount: bigint): Call => ({
    to: c.tokens.usdc,
    data: encodeFunctionData({ abi: devTokenAbi, functionName: 'mint', args: [to, amount] }),
  });
  const usdcBalance = (a: Address) => pub.readContract({ address: c.tokens.usdc, abi: erc20Abi, functionName: 'balanceOf', args: [a] });

  async function increaseTime(seconds: number) {
    await pub.request({ method: 'evm_increaseTime' as never, params: [toHex(seconds)] as never });
    await pub.request({ method: 'evm_mine' as never, params: [] as never });
  }
  const now = async () => Number((await pub.getBlock()).timestamp);
  const salt = (label: string): Hex => toHex(label, { size: 32 });

  return { devnet, c, net, pub, owner, ownerAccount, ownerSend, newAgent, agentClient, reasonOf, transfer, mint, usdcBalance, increaseTime, now, salt };
}

export type World = Awaited<ReturnType<typeof setUpWorld>>;
