// ERC-7710 (issue 15, part 1): an agent written for MetaMask's kit redeems a Functor grant through
// MetaMask's own DelegationManager (deployed by the kit's deploySmartAccountsEnvironment on the
// devnet), unmodified: `erc7710WalletActions().sendTransactionWithDelegation` from the session key's
// EOA, and `erc7710BundlerActions().sendUserOperationWithDelegation` from a MetaMask smart account,
// on real Kernel v3.1, Nexus 1.0 and Safe 1.4.1 + Safe7579 accounts. Within the grant it lands and
// emits KeyExecuted; over the limit, outside the calls, after revoke or expiry it is refused and
// moves nothing; the spend of both paths lands in one window; and the new trust paths are attacked
// with the real DelegationManager (a stranger, a redelegation, another account, a stripped caveat).
import { type Address, createWalletClient, encodeFunctionData, erc20Abi, getAddress, type Hex, http, parseAbi, parseEventLogs, toHex, zeroAddress } from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';
import { createPimlicoClient } from 'permissionless/clients/pimlico';
import { decodeDelegations, encodeDelegations, hashDelegation } from '@metamask/delegation-core';
import { Implementation, toMetaMaskSmartAccount } from '@metamask/smart-accounts-kit';
import { erc7710BundlerActions, erc7710WalletActions } from '@metamask/smart-accounts-kit/actions';
import { overrideDeployedEnvironment } from '@metamask/smart-accounts-kit/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functorPolicyHookAbi } from '../../lib/abi/generated.js';
import { decodeRecord, recordWords } from '../../lib/audit/auditWords.js';
import { functorExecutorInstallCall, functorStatus, functorUninstallCalls } from '../../lib/accounts/functorModules.js';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { encodeContext, decodeContext } from '../../lib/erc7715/response.js';
import { revokeCall } from '../../lib/keystore/calls.js';
import { decodeRefusal } from '../../lib/permissions/refusal.js';
import { explainRefusal } from '../../lib/agent/explain.js';
import { DAY, setUpWorld, USDC, type World } from './harness.js';

// The kit reports each call to MetaMask's analytics unless told not to; tests (and Functor's agent)
// never phone home.
process.env.DO_NOT_TRACK = '1';

let w: World;
const bob = '0x000000000000000000000000000000000000b0b1' as Address;

beforeAll(async () => {
  w = await setUpWorld();
  // What MetaMask's local-development guide has an agent do on a local chain.
  overrideDeployedEnvironment(w.c.chainId, '1.3.0', w.c.delegationFramework);
});
afterAll(async () => {
  await w?.devnet.stop();
});

describe.each(ACCOUNT_KINDS)('%s: a grant redeemed through MetaMask’s DelegationManager', (kind: AccountKind) => {
  let o: Awaited<ReturnType<World['ownerWithFunctor']>>;
  let keyId: bigint;
  let context: Hex;
  const agent = () => agentKey;
  let agentKey: ReturnType<World['newAgent']>;
  const dm = () => w.c.delegationFramework.DelegationManager;

  const kitAgent = (account = agent()) => createWalletClient({ account, chain: w.net.chain, transport: http(w.c.rpcUrl) }).extend(erc7710WalletActions());
  const redeem = (amount: bigint, ctx: Hex = context, account = agent(), to: Address = bob) =>
    kitAgent(account).sendTransactionWithDelegation({
      account,
      chain: w.net.chain,
      to: w.c.tokens.usdc,
      data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
      permissionContext: ctx,
      delegationManager: dm(),
    });
  const fund = (a: Address) => w.pub.request({ method: 'anvil_setBalance' as never, params: [a, toHex(10n ** 18n)] as never });
  /**
   * The redemption is refused: the promise rejects with the policy's reason, and nothing moves.
   * Safe7579 turns the hook's revert into ExecutionFailed(): there, as for UserOps, the reason is
   * worked out from chain state (explainRefusal) for the calls that were refused.
   */
  async function refused(p: Promise<unknown>, error: string, calls = [w.transfer(bob, USDC(1))], keyOf = keyId) {
    const before = await w.usdcBalance(o.account.address);
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, 'the redemption should be refused').toBeDefined();
    let r = decodeRefusal(err);
    if (r.error === 'ExecutionFailed') {
      const explained = await explainRefusal(
        w.pub,
        { keyStore: w.c.functor.keyStore, hook: w.c.functor.policyHook, account: o.account.address, keyId: keyOf },
        calls,
      );
      if (explained) r = { ...explained, stage: r.stage };
    }
    expect(r.error).toBe(error);
    expect(await w.usdcBalance(o.account.address)).toBe(before);
  }

  beforeAll(async () => {
    o = await w.ownerWithFunctor(kind);
    await w.ownerSend(o, functorExecutorInstallCall(kind, o.account, w.c.functor, dm()));
    agentKey = w.newAgent();
    await fund(agentKey.address);
    keyId = await w.grantKey(o, `erc7710-${kind}`, agentKey.address, await w.usdcPermission(kind));
    context = encodeContext({
      chainId: w.c.chainId,
      account: o.account.address,
      keyId,
      validator: w.c.functor.validator,
      hook: w.c.functor.policyHook,
      kind,
      delegationManager: dm(),
    });
  });

  it('the unmodified kit redeems it within the limit: USDC moves and KeyExecuted names the key and the agent', async () => {
    const before = await w.usdcBalance(bob);
    const hash = await redeem(USDC(30));
    const receipt = await w.pub.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    expect(await w.usdcBalance(bob)).toBe(before + USDC(30));
    const [executed, ...more] = parseEventLogs({ abi: functorPolicyHookAbi, eventName: 'KeyExecuted', logs: receipt.logs });
    expect(more).toHaveLength(0);
    expect(executed!.args.account).toBe(o.account.address);
    expect(executed!.args.keyId).toBe(keyId);
    expect(executed!.args.signer).toBe(toHex(BigInt(agent().address), { size: 32 }));
    const { calls, spends } = decodeRecord(recordWords(executed!.data));
    expect(spends[0]!.used).toBe(USDC(30));
    expect(calls).toEqual([{ target: w.c.tokens.usdc, selector: '0xa9059cbb', value: 0n }]);
  });

  it('one window for both paths: a UserOp spends 60 of what is left, then 20 more by redemption is over 100', async () => {
    const session = await w.agentClient(kind, o.account.address, keyId, agent());
    const res = await session.send([w.transfer(bob, USDC(60))]);
    expect(res.ok).toBe(true);
    await refused(redeem(USDC(20)), 'SpendLimitExceeded', [w.transfer(bob, USDC(20))]);
    await w.pub.waitForTransactionReceipt({ hash: await redeem(USDC(10)) });
  });

  it('refuses a call outside the grant, in words the agent decodes', async () => {
    const approve = kitAgent().sendTransactionWithDelegation({
      account: agent(),
      chain: w.net.chain,
      to: w.c.tokens.usdc,
      data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [bob, 1n] }),
      permissionContext: context,
      delegationManager: dm(),
    });
    await refused(approve, 'CallNotAllowed', [{ to: w.c.tokens.usdc, data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [bob, 1n] }) }]);
  });

  it('attack: a stranger sends the context (delegate ANY): refused, the redeemer is not a signer of the key', async () => {
    const stranger = w.newAgent();
    await fund(stranger.address);
    await refused(redeem(USDC(1), context, stranger), 'NotKeySigner');
  });

  it('attack: the agent redelegates to a friend with the kit’s own signature: refused', async () => {
    const friend = w.newAgent();
    await fund(friend.address);
    const [root] = decodeDelegations(context, { out: 'hex' });
    const leaf = {
      delegate: friend.address,
      delegator: agent().address,
      authority: hashDelegation(root!),
      caveats: [],
      salt: 0n,
      signature: '0x' as Hex,
    };
    leaf.signature = await agent().signTypedData({
      domain: { name: 'DelegationManager', version: '1', chainId: w.c.chainId, verifyingContract: dm() },
      types: {
        Delegation: [
          { name: 'delegate', type: 'address' },
          { name: 'delegator', type: 'address' },
          { name: 'authority', type: 'bytes32' },
          { name: 'caveats', type: 'Caveat[]' },
          { name: 'salt', type: 'uint256' },
        ],
        Caveat: [
          { name: 'enforcer', type: 'address' },
          { name: 'terms', type: 'bytes' },
        ],
      },
      primaryType: 'Delegation',
      message: { ...leaf, caveats: [] },
    });
    await refused(redeem(USDC(1), encodeDelegations([leaf, root!]), friend), 'NotKeySigner');
  });

  it('attack: the context pointed at another account of someone else: refused, nothing moves there', async () => {
    const victim = await w.ownerWithFunctor(kind, USDC(500), 1);
    await w.ownerSend(victim, functorExecutorInstallCall(kind, victim.account, w.c.functor, dm()));
    const theirs = encodeContext({ ...decodeContext(context), account: victim.account.address });
    const before = await w.usdcBalance(victim.account.address);
    const err = await redeem(USDC(1), theirs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(['KeyNotActive', 'NoPolicies']).toContain(decodeRefusal(err).error);
    expect(await w.usdcBalance(victim.account.address)).toBe(before);
  });

  it('attack: the Functor caveat stripped from the context: the DelegationManager refuses the delegation', async () => {
    const [d] = decodeDelegations(context, { out: 'hex' });
    const stripped = encodeDelegations([{ ...d!, caveats: [] }]);
    const err = await redeem(USDC(1), stripped).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String((err as Error)?.message)).toMatch(/InvalidERC1271Signature|0x155ff427|reverted/);
  });

  it('a MetaMask smart account as the session account: sendUserOperationWithDelegation lands through the bundler; over the limit, outside the calls, after expiry and after revoke it is refused', async () => {
    const smart = await toMetaMaskSmartAccount({
      client: w.pub,
      implementation: Implementation.Hybrid,
      deployParams: [agent().address, [], [], []],
      deploySalt: '0x',
      signer: { account: agent() },
    });
    await fund(smart.address);
    // The grant names the smart account as its signer: it is the redeemer the DelegationManager sees.
    const k = await w.grantKey(o, `erc7710-smart-${kind}`, smart.address, await w.usdcPermission(kind));
    const ctx = encodeContext({ ...decodeContext(context), keyId: k });
    const fees = (await createPimlicoClient({ transport: http(w.c.bundlerUrl) }).getUserOperationGasPrice()).fast;
    const bundler = createBundlerClient({ client: w.pub, transport: http(w.c.bundlerUrl) }).extend(erc7710BundlerActions());
    const before = await w.usdcBalance(bob);
    const hash = await bundler.sendUserOperationWithDelegation({
      account: smart,
      publicClient: w.pub,
      calls: [
        {
          to: w.c.tokens.usdc,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, USDC(5)] }),
          permissionContext: ctx,
          delegationManager: dm(),
        },
      ],
      ...fees,
    });
    const r = await bundler.waitForUserOperationReceipt({ hash });
    expect(r.success).toBe(true);
    expect(await w.usdcBalance(bob)).toBe(before + USDC(5));
    // Over the limit (5 + 200 > 100) the bundler refuses the op in simulation: nothing moves.
    const over = bundler.sendUserOperationWithDelegation({
      account: smart,
      publicClient: w.pub,
      calls: [
        {
          to: w.c.tokens.usdc,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, USDC(200)] }),
          permissionContext: ctx,
          delegationManager: dm(),
        },
      ],
      ...fees,
    });
    await refused(over, 'SpendLimitExceeded', [w.transfer(bob, USDC(200))], k);
    const viaBundler = (data: Hex, ctxOf = ctx) =>
      bundler.sendUserOperationWithDelegation({
        account: smart,
        publicClient: w.pub,
        calls: [{ to: w.c.tokens.usdc, data, permissionContext: ctxOf, delegationManager: dm() }],
        ...fees,
      });
    // Outside the allowed calls.
    const approveData = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [bob, 1n] });
    await refused(viaBundler(approveData), 'CallNotAllowed', [{ to: w.c.tokens.usdc, data: approveData }], k);
    // A one-day key of the smart account: refused once it has expired.
    const short = await w.grantKey(o, `erc7710-smart-short-${kind}`, smart.address, await w.usdcPermission(kind, { days: 1 }));
    const shortCtx = encodeContext({ ...decodeContext(context), keyId: short });
    const oneUsdc = encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [bob, USDC(1)] });
    await w.increaseTime(DAY + 60);
    await refused(viaBundler(oneUsdc, shortCtx), 'KeyExpired', [w.transfer(bob, USDC(1))], short);
    // After a KeyStore revocation of its key.
    await w.ownerSend(o, [revokeCall(w.c.functor.keyStore, k)]);
    await refused(viaBundler(oneUsdc), 'KeyNotActive', [w.transfer(bob, USDC(1))], k);
  });

  it('after a KeyStore revocation the same context is refused; after expiry too', async () => {
    const other = await w.grantKey(o, `erc7710-expiry-${kind}`, agent().address, await w.usdcPermission(kind, { days: 1 }));
    const otherCtx = encodeContext({ ...decodeContext(context), keyId: other });
    await w.ownerSend(o, [revokeCall(w.c.functor.keyStore, keyId)]);
    await refused(redeem(USDC(1)), 'KeyNotActive');
    await w.increaseTime(DAY + 60);
    await refused(redeem(USDC(1), otherCtx), 'KeyExpired', undefined, other);
  });

  it('the owner uninstalls Functor: the ERC-7710 path closes with it (executor removed, no DelegationManager trusted), a live key’s context is refused', async () => {
    const live = await w.grantKey(o, `erc7710-uninstall-${kind}`, agent().address, await w.usdcPermission(kind));
    const liveCtx = encodeContext({ ...decodeContext(context), keyId: live });
    const f = w.c.functor;
    expect(getAddress((await functorStatus(kind, w.pub, o.account.address, f)).delegationManager)).toBe(getAddress(dm()));
    await w.ownerSend(o, await functorUninstallCalls(kind, w.pub, o.account, f));
    expect(await functorStatus(kind, w.pub, o.account.address, f)).toEqual({
      deployed: true,
      validator: false,
      hook: false,
      initialized: false,
      delegationManager: zeroAddress,
      termsWriter: true,
    });
    const installed = await w.pub.readContract({
      address: o.account.address,
      abi: parseAbi(['function isModuleInstalled(uint256 moduleTypeId, address module, bytes additionalContext) view returns (bool)']),
      functionName: 'isModuleInstalled',
      args: [2n, f.validator, '0x'],
    });
    expect(installed, 'FunctorValidator is still an executor of the account').toBe(false);
    await refused(redeem(USDC(1), liveCtx), 'UntrustedDelegationManager', undefined, live);
  });
});
