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
import type { Refusal } from '../../lib/permissions/refusal.js';
import type { Call } from '../../lib/functorMode.js';
import { registerCall, selfAuth } from '../../lib/keystore/calls.js';
import { functorInstallCalls } from '../../lib/accounts/functorModules.js';
import { ecdsaSignerId, keyIdFor } from '../../lib/keystore/ids.js';
import { encodeSetPolicies, gasDefaults, type Permission, selectorOf } from '../../lib/permissions/index.js';

export const USDC = (n: number | string) => parseUnits(String(n), 6);
export const HOUR = 3600;
export const DAY = 86400;

/** `stepsTracing`: anvil records opcode steps, for struct-log traces (bench/opcodes.ts). */
export async function setUpWorld(opts: { stepsTracing?: boolean } = {}) {
  const devnet: Devnet = await startDevnet({ stepsTracing: opts.stepsTracing });
  const c = devnet.config;
  const net: Network = {
    chain: devnetChain(c.chainId, c.rpcUrl, { localPolling: true }),
    rpcUrl: c.rpcUrl,
    bundlerUrl: c.bundlerUrl,
    entryPoint: c.entryPoint,
  };
  const pub = publicClientFor(net);
  const owner = privateKeyToAccount(c.owners[0]!.privateKey);

  /** The owner's account of `kind` (`ownerIndex`: another of the devnet's owners, another person). */
  async function ownerAccount(kind: AccountKind, ownerIndex = 0) {
    const who = ownerIndex === 0 ? owner : privateKeyToAccount(c.owners[ownerIndex]!.privateKey);
    const account = await toOwnerAccount({ kind, client: pub, owner: who, addresses: c });
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
    const context: SessionContext = { kind, account, keyId, module: c.functor.policyHook, entryPoint: c.entryPoint };
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
    const explained = await explainRefusal(
      pub,
      { keyStore: c.functor.keyStore, hook: c.functor.policyHook, account: context.account, keyId: context.keyId },
      calls,
    );
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

  /** The owner's account of `kind`, deployed with `usdc` USDC and the Functor modules installed. */
  async function ownerWithFunctor(kind: AccountKind, usdc = USDC(1000), ownerIndex = 0) {
    const o = await ownerAccount(kind, ownerIndex);
    await ownerSend(o, [mint(o.account.address, usdc), ...(await functorInstallCalls(kind, o.account, c.functor))]);
    return o;
  }

  /** The story's grant: 100 USDC a day (sliding), only USDC.transfer, for `days`, gas from the chain's fees. */
  async function usdcPermission(kind: AccountKind, opts: { days?: number; maxOps?: number } = {}): Promise<Permission> {
    const t = await now();
    const gas = await gasDefaults(pub, { kind, calls: 1, now: t });
    return {
      calls: [{ to: c.tokens.usdc, selector: selectorOf('transfer(address,uint256)') }],
      spend: [{ token: c.tokens.usdc, limit: USDC(100), period: { kind: 'sliding', seconds: DAY } }],
      expiry: t + (opts.days ?? 7) * DAY,
      gas: opts.maxOps === undefined ? gas : { ...gas, maxOps: opts.maxOps },
    };
  }

  /** Registers a fresh key (its lane unused: sequence 0) for `signer` on the owner's account, with `permission`. */
  async function grantKey(o: Awaited<ReturnType<typeof ownerAccount>>, label: string, signer: Address, permission: Permission): Promise<bigint> {
    const s = salt(label);
    const keyId = keyIdFor(o.account.address, s);
    await ownerSend(o, [
      registerCall(c.functor.keyStore, s, [ecdsaSignerId(signer)], [selfAuth(o.account.address)]),
      { to: c.functor.policyHook, data: encodeSetPolicies(keyId, permission, 0n) },
    ]);
    return keyId;
  }

  return {
    devnet,
    c,
    net,
    pub,
    owner,
    ownerAccount,
    ownerSend,
    newAgent,
    agentClient,
    reasonOf,
    transfer,
    mint,
    usdcBalance,
    increaseTime,
    now,
    salt,
    usdcPermission,
    grantKey,
    ownerWithFunctor,
  };
}

export type World = Awaited<ReturnType<typeof setUpWorld>>;
