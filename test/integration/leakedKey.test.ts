// The holes a leaked or hostile key could use (issue 14), tried as the attacker would on real
// Kernel v3.1, Nexus 1.0 and Safe 1.4.1 + Safe7579 accounts: the attacker holds the session key and
// calls the EntryPoint's handleOps itself, as bundler and beneficiary. The forge suite
// (contracts/test/attack/LeakedKeyHoles.t.sol) has the same attacks on the stand-in account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Address,
  createWalletClient,
  decodeErrorResult,
  decodeFunctionData,
  encodeFunctionData,
  type Hex,
  http,
  parseAbiItem,
  toFunctionSelector,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { entryPoint07Abi, type SmartAccount, toPackedUserOperation, type UserOperation } from 'viem/account-abstraction';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { functorInstallCalls, functorUninstallCalls } from '../../lib/accounts/functorModules.js';
import { laneNonceKey } from '../../lib/accounts/nonceKey.js';
import { ownerValidatorOf } from '../../lib/accounts/toOwnerAccount.js';
import { rotateSignerCall } from '../../lib/keystore/calls.js';
import { ecdsaSignerId } from '../../lib/keystore/ids.js';
import { encodeSetPolicies, type Permission, selectorOf } from '../../lib/permissions/index.js';
import { functorPolicyHookAbi, functorValidatorAbi, keyStoreAbi } from '../../lib/abi/generated.js';
import { toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import type { Call } from '../../lib/functorMode.js';
import { setUpWorld, USDC, type World } from './harness.js';

let w: World;
const owners = {} as Record<AccountKind, Awaited<ReturnType<World['ownerAccount']>>>;
const errorsAbi = [...functorValidatorAbi, ...functorPolicyHookAbi, ...entryPoint07Abi];
const MAX_OPS = 3;

beforeAll(async () => {
  w = await setUpWorld();
  for (const kind of ACCOUNT_KINDS) {
    owners[kind] = await w.ownerAccount(kind);
    await w.ownerSend(owners[kind], [w.mint(owners[kind].account.address, USDC(10_000))]);
    const f = w.c.functor;
    await w.ownerSend(owners[kind], await functorInstallCalls(kind, owners[kind].account, f));
  }
});

afterAll(async () => {
  await w?.devnet.stop();
});

/** The attacker: a funded EOA that calls handleOps with itself as beneficiary. */
function attacker() {
  return createWalletClient({ chain: w.net.chain, transport: http(w.c.rpcUrl), account: privateKeyToAccount(w.c.owners[1]!.privateKey) });
}

/** Calls handleOps from the attacker; returns each op's success, and its revert data if any. */
async function handleOps(ops: UserOperation<'0.7'>[]) {
  const hash = await attacker().writeContract({
    address: w.c.entryPoint,
    abi: entryPoint07Abi,
    functionName: 'handleOps',
    args: [ops.map((op) => toPackedUserOperation(op)), attacker().account.address],
    gas: 8_000_000n,
  });
  const receipt = await w.pub.waitForTransactionReceipt({ hash });
  expect(receipt.status, 'the bundle landed').toBe('success');
  const events = await w.pub.getContractEvents({ address: w.c.entryPoint, abi: entryPoint07Abi, fromBlock: receipt.blockNumber, toBlock: receipt.blockNumber });
  const mine = events.filter((e) => e.transactionHash === hash);
  return ops.map((_, i) => {
    const ev = mine.filter((e) => e.eventName === 'UserOperationEvent')[i] as { args: { userOpHash: Hex; success: boolean } } | undefined;
    const reason = mine.find((e) => e.eventName === 'UserOperationRevertReason' && (e.args as { userOpHash?: Hex }).userOpHash === ev?.args.userOpHash);
    return { success: ev?.args.success ?? false, reason: (reason?.args as { revertReason?: Hex } | undefined)?.revertReason };
  });
}

/** The error handleOps would revert with (the bundle refused whole: nothing runs, nothing is paid). */
async function handleOpsRevert(ops: UserOperation<'0.7'>[]): Promise<string> {
  try {
    await w.pub.simulateContract({
      account: attacker().account,
      address: w.c.entryPoint,
      abi: entryPoint07Abi,
      functionName: 'handleOps',
      args: [ops.map((op) => toPackedUserOperation(op)), attacker().account.address],
      gas: 8_000_000n,
    });
  } catch (e) {
    return String(e);
  }
  throw new Error('handleOps did not revert');
}

function errorName(data: Hex | undefined): string {
  if (!data || data === '0x') return 'none';
  try {
    return decodeErrorResult({ abi: errorsAbi, data }).errorName;
  } catch {
    return data.slice(0, 10);
  }
}

describe.each(ACCOUNT_KINDS)('%s account', (kind) => {
  const account = () => owners[kind].account.address;
  const agent = () => keys.agent;
  const keys = {} as { agent: ReturnType<World['newAgent']>; keyId: bigint; session: SmartAccount; permission: Permission };

  /** A session op signed by `signer` (default: the agent), gas limits and fee chosen by the attacker. */
  async function sessionOp(data: Call[], opts: { nonce?: bigint; signer?: SmartAccount; feeAtCap?: boolean } = {}) {
    const session = opts.signer ?? keys.session;
    const fee = keys.permission.gas.maxFeePerGas;
    // The highest total gas the per-op cap allows at that fee, split as an attacker would.
    const total = keys.permission.gas.maxCostPerOp / fee;
    const op = {
      sender: account(),
      nonce: opts.nonce ?? (await session.getNonce()),
      callData: await session.encodeCalls(data),
      callGasLimit: total / 2n,
      verificationGasLimit: total / 2n - 100_000n,
      preVerificationGas: 100_000n,
      maxFeePerGas: fee,
      maxPriorityFeePerGas: fee,
      signature: '0x' as Hex,
    } satisfies UserOperation<'0.7'>;
    return { ...op, signature: await session.signUserOperation(op) };
  }

  /** An owner-signed op, prepared through the bundler but not sent (the attacker bundles it). */
  async function ownerOp(calls: Call[]): Promise<UserOperation<'0.7'>> {
    const o = owners[kind];
    const prepared = await o.client.prepareUserOperation({ calls });
    const op = { ...prepared, sender: account() } as UserOperation<'0.7'>;
    return { ...op, signature: await o.account.signUserOperation(op) };
  }

  const transfer = (to: Address, amount: bigint) => w.transfer(to, amount);

  it('grants a key: 100 USDC a day, only USDC.transfer, at most 3 ops', async () => {
    keys.agent = w.newAgent();
    keys.permission = await w.usdcPermission(kind, { days: 30, maxOps: MAX_OPS });
    keys.keyId = await w.grantKey(owners[kind], `leaked-${kind}`, agent().address, keys.permission);
    keys.session = await toFunctorSessionAccount({
      client: w.pub,
      context: { kind, account: account(), keyId: keys.keyId, module: w.c.functor.policyHook, entryPoint: w.c.entryPoint },
      signer: agent(),
    });
  });

  it('1. gas drain: ten ops that fail in execution are refused whole; one at a time, they stop at the ceiling', async () => {
    const lane = laneNonceKey(kind, w.c.functor.policyHook, keys.keyId);
    const seq0 = await w.pub.readContract({ address: w.c.entryPoint, abi: entryPoint07Abi, functionName: 'getNonce', args: [account(), lane] });
    const before = await w.pub.getBalance({ address: account() });
    // Over the limit: passes validation, reverts in execution, and the account pays its gas.
    const drain = [transfer(agent().address, USDC(1_000))];
    const ten = [];
    for (let i = 0n; i < 10n; i++) ten.push(await sessionOp(drain, { nonce: seq0 + i }));
    expect(await handleOpsRevert(ten)).toMatch(/AA23|OpCeilingReached|FailedOp/);

    for (let i = 0; i < MAX_OPS; i++) {
      const [r] = await handleOps([await sessionOp(drain)]);
      expect(r!.success, `op ${i} fails in execution`).toBe(false);
    }
    expect(await handleOpsRevert([await sessionOp(drain)])).toMatch(/AA23|OpCeilingReached/);
    const paid = before - (await w.pub.getBalance({ address: account() }));
    expect(paid).toBeGreaterThan(0n);
    expect(paid, 'at most maxOps x maxCostPerOp in all').toBeLessThanOrEqual(BigInt(MAX_OPS) * keys.permission.gas.maxCostPerOp);
    console.log(`${kind}: drain bounded at ${paid} wei (bound ${BigInt(MAX_OPS) * keys.permission.gas.maxCostPerOp})`);
  });

  it('   an op on another nonce key (a fresh sequence) is refused in validation', async () => {
    const other = laneNonceKey(kind, w.c.functor.policyHook, keys.keyId ^ 1n);
    const nonce = await w.pub.readContract({ address: w.c.entryPoint, abi: entryPoint07Abi, functionName: 'getNonce', args: [account(), other] });
    expect(await handleOpsRevert([await sessionOp([transfer(agent().address, 1n)], { nonce })])).toMatch(/AA23|WrongNonceKey/);
  });

  it('   a new grant raises the ceiling from the lane sequence, and the key acts again', async () => {
    const lane = laneNonceKey(kind, w.c.functor.policyHook, keys.keyId);
    const seq = await w.pub.readContract({ address: w.c.entryPoint, abi: entryPoint07Abi, functionName: 'getNonce', args: [account(), lane] });
    await w.ownerSend(owners[kind], [{ to: w.c.functor.policyHook, data: encodeSetPolicies(keys.keyId, keys.permission, seq & (2n ** 64n - 1n)) }]);
    const [r] = await handleOps([await sessionOp([transfer(agent().address, USDC(1))])]);
    expect(r!.success).toBe(true);
  });

  it("2. a wildcard grant cannot reach the account's modules: management selectors refused as policy, others in execution", async () => {
    const machinery = ownerValidatorOf(w.c, kind);
    const wide = (selector: Hex): Permission => ({ ...keys.permission, calls: [...keys.permission.calls, { to: 'any', selector }] });
    const lane = laneNonceKey(kind, w.c.functor.policyHook, keys.keyId);
    const seq = async () =>
      (await w.pub.readContract({ address: w.c.entryPoint, abi: entryPoint07Abi, functionName: 'getNonce', args: [account(), lane] })) & (2n ** 64n - 1n);
    // The attacks: onInstall on the owner validator, validateUserOp on the adapter.
    const management =
      kind === 'safe'
        ? toFunctionSelector('validateUserOp((address,uint256,bytes,bytes,bytes32,uint256,bytes32,bytes,bytes),bytes32,uint256)')
        : selectorOf('onInstall(bytes)');
    const policyRefused = w.pub.simulateContract({
      account: account(),
      address: w.c.functor.policyHook,
      abi: functorPolicyHookAbi,
      functionName: 'setPolicies',
      // encodeSetPolicies refuses it in TypeScript already: the raw call shows the contract does too
      args: [
        keys.keyId,
        {
          validAfter: 0,
          validUntil: 0,
          calls: [{ target: '0x0000000000000000000000000000000000000000', selector: management }],
          spends: [],
          rate: { maxCalls: 0, period: 0 },
          gas: { maxFeePerGas: 1, maxCostPerOp: 1n, opCeiling: 1, budget: 0n, paymaster: '0x0000000000000000000000000000000000000000' },
          customs: [],
          conditions: [],
        },
      ],
    });
    await expect(policyRefused).rejects.toThrow(/any target with a management selector/);

    // A selector the module answers that is not management: allowed as a wildcard, refused in execution.
    const probeSel = kind === 'safe' ? toFunctionSelector('isModuleInstalled(uint256,address,bytes)') : toFunctionSelector('isInitialized(address)');
    await w.ownerSend(owners[kind], [{ to: w.c.functor.policyHook, data: encodeSetPolicies(keys.keyId, wide(probeSel), await seq()) }]);
    const data =
      kind === 'safe'
        ? encodeFunctionData({ abi: [parseAbiItem('function isModuleInstalled(uint256,address,bytes)')], args: [1n, w.c.functor.policyHook, '0x'] })
        : encodeFunctionData({ abi: [parseAbiItem('function isInitialized(address)')], args: [account()] });
    const [r] = await handleOps([await sessionOp([{ to: machinery, data }])]);
    expect(r!.success, 'the call to the module was refused').toBe(false);
    // Kernel and Nexus pass the hook's reason on; Safe7579 turns it into ExecutionFailed().
    if (kind !== 'safe') expect(errorName(r!.reason)).toBe('ForbiddenTarget');
    // the exact target, too, is refused when the policy is set
    const exact: Permission = { ...keys.permission, calls: [...keys.permission.calls, { to: machinery, selector: probeSel }] };
    await expect(
      w.pub.simulateContract({
        account: account(),
        address: w.c.functor.policyHook,
        abi: functorPolicyHookAbi,
        functionName: 'setPolicies',
        args: [keys.keyId, decodeSetPolicies(encodeSetPolicies(keys.keyId, exact, await seq()))],
      }),
    ).rejects.toThrow(/ForbiddenTarget/);
    await w.ownerSend(owners[kind], [{ to: w.c.functor.policyHook, data: encodeSetPolicies(keys.keyId, keys.permission, await seq()) }]);
  });

  it("3. a stranger cannot set policies for the key (its windows are shared by the key's accounts)", async () => {
    const stranger = attacker().account.address;
    // anyone can mark itself as an account with the module installed (onInstall is the caller's own;
    // the hook role's data, 0x04, is what installs it)
    await w.pub.waitForTransactionReceipt({
      hash: await attacker().writeContract({ address: w.c.functor.policyHook, abi: functorPolicyHookAbi, functionName: 'onInstall', args: ['0x04'] }),
    });
    await expect(
      w.pub.simulateContract({
        account: stranger,
        address: w.c.functor.policyHook,
        abi: functorPolicyHookAbi,
        functionName: 'setPolicies',
        args: [keys.keyId, decodeSetPolicies(encodeSetPolicies(keys.keyId, keys.permission, 0n))],
      }),
    ).rejects.toThrow(/KeyNotActive/);
  });

  it('4. an op of a rotated-out signer, bundled right after the rotation, is stopped in execution', async () => {
    const next = w.newAgent();
    const oldOp = await sessionOp([transfer(agent().address, USDC(5))]);
    const rotate = await ownerOp([rotateSignerCall(w.c.functor.keyStore, keys.keyId, ecdsaSignerId(agent().address), ecdsaSignerId(next.address))]);
    const before = await w.usdcBalance(agent().address);
    const [o, s] = await handleOps([rotate, oldOp]);
    expect(o!.success, 'the rotation landed').toBe(true);
    expect(s!.success, "the old signer's op failed").toBe(false);
    if (kind !== 'safe') expect(errorName(s!.reason)).toBe('SignerNotAuthorized');
    expect(await w.usdcBalance(agent().address)).toBe(before);
    expect(
      await w.pub.readContract({
        address: w.c.functor.keyStore,
        abi: keyStoreAbi,
        functionName: 'isAuthorized',
        args: [keys.keyId, account(), ecdsaSignerId(agent().address)],
      }),
    ).toBe(false);
    // rotate back, so the next steps act with the agent
    await w.ownerSend(owners[kind], [rotateSignerCall(w.c.functor.keyStore, keys.keyId, ecdsaSignerId(next.address), ecdsaSignerId(agent().address))]);
  });

  // Nexus calls the hook on uninstallModule and lets its refusal stand; Kernel bound the hook to
  // the op at validation, so it runs whatever the uninstall did; the Safe7579 adapter removes the
  // hook even when the hook refuses, so there the safe way out is two steps: disable the keys, then
  // uninstall in a later bundle (SECURITY.md).
  it("5. the owner's uninstall cannot let a key's op validated in the same bundle run without its policy", async () => {
    const f = w.c.functor;
    const over = await sessionOp([transfer(agent().address, USDC(500))]);
    const before = await w.usdcBalance(agent().address);
    if (kind === 'safe') {
      const disable = await ownerOp([
        { to: w.c.functor.keyStore, data: encodeFunctionData({ abi: keyStoreAbi, functionName: 'disable', args: [keys.keyId, account()] }) },
      ]);
      const [d, s] = await handleOps([disable, over]);
      expect(d!.success, 'step 1: the key is disabled').toBe(true);
      expect(s!.success, 'the hook, still installed, stops the validated op').toBe(false);
      // step 2, in a later bundle: no op of the key validates any more
      expect(await handleOpsRevert([await sessionOp([transfer(agent().address, USDC(500))])])).toMatch(/AA23|KeyNotActive/);
      await w.ownerSend(owners[kind], await functorUninstallCalls(kind, w.pub, owners[kind].account, f));
    } else {
      const uninstall = await ownerOp(await functorUninstallCalls(kind, w.pub, owners[kind].account, f));
      const [u, s] = await handleOps([uninstall, over]);
      expect(s!.success, 'the key is held to its limit').toBe(false);
      if (kind === 'nexus') {
        expect(u!.success, 'the uninstall waits for a bundle without a pending keyed op').toBe(false);
        expect(errorName(u!.reason)).toBe('KeyedOpPending');
      } else {
        expect(errorName(s!.reason), "Kernel's bound hook ran for the op it validated").toBe('SpendLimitExceeded');
      }
    }
    expect(await w.usdcBalance(agent().address), 'nothing moved past the limit').toBe(before);
  });
});

/** The Policies struct back from setPolicies calldata (to send it raw, from another caller). */
function decodeSetPolicies(data: Hex) {
  const { args } = decodeFunctionData({ abi: functorPolicyHookAbi, data });
  return (args as readonly [bigint, never])[1];
}
