// Functor on real Kernel v3.1, Nexus 1.0 and Safe 1.4.1 + Safe7579 accounts, through the Alto
// bundler, with real UserOps (issue 3's story, steps 1 to 9, plus a key shared by three accounts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Address, zeroAddress } from 'viem';
import { encodeUninstallModule } from 'permissionless';
import { entryPoint07Abi } from 'viem/account-abstraction';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { functorInstallCalls, functorInstalled, functorStatus, functorUninstallCalls } from '../../lib/accounts/functorModules.js';
import { ownerValidatorOf } from '../../lib/accounts/toOwnerAccount.js';
import { registerCall, revokeCall, rotateSignerCall, selfAuth, enableCall } from '../../lib/keystore/calls.js';
import { ecdsaSignerId, keyIdFor } from '../../lib/keystore/ids.js';
import { grantState, readKey } from '../../lib/keystore/read.js';
import { enableTypedData, signEnableConsent } from '../../lib/keystore/consent.js';
import { encodeSetPolicies, fromPolicies, gasDefaults, type Permission, selectorOf } from '../../lib/permissions/index.js';
import { functorPolicyHookAbi, keyStoreAbi } from '../../lib/abi/generated.js';
import { describeRefusal } from '../../lib/permissions/refusal.js';
import { readHistory } from '../../lib/audit/history.js';
import { readUsage } from '../../lib/permissions/usage.js';
import { KINDS, traceMadeOf } from '../../bench/opcodes.js';
import { addressNames, phasesOf, traceFrames } from '../../bench/phases.js';
import { DAY, HOUR, setUpWorld, USDC, type World } from './harness.js';

let w: World;
const owners = {} as Record<AccountKind, Awaited<ReturnType<World['ownerAccount']>>>;
const tokens = () => ({ [w.c.tokens.usdc.toLowerCase()]: { symbol: 'USDC', decimals: 6 } });

beforeAll(async () => {
  const t0 = Date.now();
  w = await setUpWorld({ stepsTracing: true });
  console.log(`devnet up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  for (const kind of ACCOUNT_KINDS) {
    owners[kind] = await w.ownerAccount(kind);
    // An existing account: deployed by a first owner op (which also funds it with USDC).
    await w.ownerSend(owners[kind], [w.mint(owners[kind].account.address, USDC(10_000))]);
  }
});

afterAll(async () => {
  await w?.devnet.stop();
});

async function usdcPermission(): Promise<Permission> {
  const now = await w.now();
  return {
    calls: [{ to: w.c.tokens.usdc, selector: selectorOf('transfer(address,uint256)') }],
    spend: [{ token: w.c.tokens.usdc, limit: USDC(100), period: { kind: 'sliding', seconds: DAY } }],
    expiry: now + 30 * DAY,
    // The extension's defaults at the devnet's fees: real ops of every kind must fit them.
    gas: await gasDefaults(w.pub, { calls: 1, now }),
  };
}

describe.each(ACCOUNT_KINDS)('%s account', (kind) => {
  // A recipient of its own per account kind, so balances say what this kind's agent did.
  const bob = `0x000000000000000000000000000000000000b0b${ACCOUNT_KINDS.indexOf(kind)}` as Address;
  let keyId: bigint;
  let agent: ReturnType<World['newAgent']>;
  let agentApi: Awaited<ReturnType<World['agentClient']>>;
  let permission: Permission;
  const account = () => owners[kind].account.address;

  it('1. installs Functor (FunctorPolicyHook as validator and hook) on an existing account, with the owner', async () => {
    expect(await w.pub.getCode({ address: account() })).not.toBe('0x');
    const f = w.c.functor;
    expect(await functorStatus(kind, w.pub, account(), f)).toEqual({
      deployed: true,
      validator: false,
      hook: false,
      initialized: false,
      delegationManager: zeroAddress,
      termsWriter: false,
    });
    await w.ownerSend(owners[kind], await functorInstallCalls(kind, owners[kind].account, f));
    expect(await functorStatus(kind, w.pub, account(), f)).toEqual({
      deployed: true,
      validator: true,
      hook: true,
      initialized: true,
      delegationManager: zeroAddress,
      termsWriter: true,
    });
  });

  it('2. grants a key: 100 USDC per day (sliding), only USDC.transfer, with an expiry', async () => {
    agent = w.newAgent();
    permission = await usdcPermission();
    const salt = w.salt(`grant-${kind}`);
    keyId = keyIdFor(account(), salt);
    await w.ownerSend(owners[kind], [
      registerCall(w.c.functor.keyStore, salt, [ecdsaSignerId(agent.address)], [selfAuth(account())]),
      // A fresh key: its lane is unused on this account (sequence 0).
      { to: w.c.functor.policyHook, data: encodeSetPolicies(keyId, permission, 0n) },
    ]);
    const key = await readKey(w.pub, w.c.functor.keyStore, keyId);
    expect(key.controller).toBe(account());
    expect(key.accounts).toEqual([account()]);
    const onchain = await w.pub.readContract({
      address: w.c.functor.policyHook,
      abi: functorPolicyHookAbi,
      functionName: 'policiesOf',
      args: [account(), keyId],
    });
    expect(fromPolicies(onchain, 0n)).toEqual(permission);
    expect(onchain.gas.opCeiling).toBe(permission.gas.maxOps);
    agentApi = await w.agentClient(kind, account(), keyId, agent);
  });

  it('3. the agent spends 60, then 30: both land, and the audit events record them', async () => {
    const fromBlock = await w.pub.getBlockNumber();
    let lastTx: `0x${string}` | undefined;
    for (const amount of [60, 30]) {
      const res = await agentApi.send([w.transfer(bob, USDC(amount))]);
      expect(
        res.ok,
        JSON.stringify(res, (_, v) => (typeof v === 'bigint' ? v.toString() : v)),
      ).toBe(true);
      if (res.ok) lastTx = res.transactionHash;
    }
    // The bench's phase split (bench/phases.ts) read from this real op's call trace: every phase
    // found on this account kind, and EntryPoint + validation + execution adding up to the bundle.
    const receipt = await w.pub.getTransactionReceipt({ hash: lastTx! });
    const frames = await traceFrames(w.pub, lastTx!, addressNames(w.c, account()));
    const p = phasesOf(frames, receipt, w.c);
    expect(p.total).toBe(Number(receipt.gasUsed));
    expect(p.entryPoint + p.validation + p.execution).toBe(p.total);
    for (const phase of ['validator', 'preCheck', 'calls', 'postCheck', 'auditEvent'] as const) expect(p[phase], phase).toBeGreaterThan(0);
    expect(p.validator).toBeLessThan(p.validation);
    expect(p.preCheck + p.calls + p.postCheck).toBeLessThan(p.execution);
    // ... and what it is made of, opcode by opcode (bench/opcodes.ts; it throws when a frame's steps
    // do not add up to its call-trace gas): the whole bundle, and each phase, add up; the audit
    // event's LOG steps cost what the receipt's log prices at; the module's validation recovers one signature.
    const made = await traceMadeOf(w.pub, lastTx!, frames);
    const total = (m: Record<(typeof KINDS)[number], number>) => KINDS.reduce((s, k) => s + m[k], 0);
    expect(total(made.total)).toBe(p.total);
    expect([total(made.validator), total(made.preCheck), total(made.postCheck)]).toEqual([p.validator, p.preCheck, p.postCheck]);
    expect(made.postCheck.logs).toBe(p.auditEvent);
    expect(made.validator.precompiles).toBe(3_000);
    expect(made.preCheck.coldStorage % 2_100).toBe(0);
    expect(made.preCheck.coldStorage).toBeGreaterThan(0);
    expect(await w.usdcBalance(bob)).toBe(USDC(90));
    const { entries } = await readHistory(w.pub, { hook: w.c.functor.policyHook, entryPoint: w.c.entryPoint, keyId, account: account(), fromBlock });
    const executed = entries.filter((e) => e.kind === 'executed');
    expect(executed).toHaveLength(2);
    expect(executed.map((e) => (e.kind === 'executed' ? [e.signer.toLowerCase(), e.spends[0]!.counted, e.spends[0]!.used, e.spends[0]!.limit] : []))).toEqual([
      [ecdsaSignerId(agent.address).toLowerCase(), USDC(60), USDC(60), USDC(100)],
      [ecdsaSignerId(agent.address).toLowerCase(), USDC(30), USDC(90), USDC(100)],
    ]);
  });

  it('4. the agent tries 20 more: refused, with a reason that says 90/100 used', async () => {
    const calls = [w.transfer(bob, USDC(20))];
    const res = await agentApi.send(calls);
    expect(res.ok).toBe(false);
    const reason = await w.reasonOf(res, agentApi.context, calls);
    expect(reason.error).toBe('SpendLimitExceeded');
    expect(reason.args.slice(1)).toEqual([w.c.tokens.usdc, USDC(90), USDC(20), USDC(100)]);
    expect(describeRefusal(reason, tokens())).toContain('90/100 USDC');
    const usage = await readUsage(w.pub, { hook: w.c.functor.policyHook, account: account(), keyId, tokens: tokens() });
    expect(usage.spends.map((s) => [s.used, s.text])).toEqual([[USDC(90), '90 / 100 USDC in the last 24 h']]);
    expect(await w.usdcBalance(bob)).toBe(USDC(90));
  });

  it("5. a day later (plus one bucket, the sliding window's price) the agent can spend again", async () => {
    await w.increaseTime(DAY + HOUR);
    const res = await agentApi.send([w.transfer(bob, USDC(20))]);
    expect(res.ok).toBe(true);
    expect(await w.usdcBalance(bob)).toBe(USDC(110));
  });

  it('6. a new signer for the same keyId: counters carry over, the old signer is refused', async () => {
    const next = w.newAgent();
    await w.ownerSend(owners[kind], [rotateSignerCall(w.c.functor.keyStore, keyId, ecdsaSignerId(agent.address), ecdsaSignerId(next.address))]);
    const old = await agentApi.send([w.transfer(bob, USDC(1))]);
    expect(old.ok).toBe(false);
    expect(old.ok || old.refusal.stage).toBe('validation');
    expect(old.ok || old.refusal.raw).toMatch(/AA24/);

    const fresh = await w.agentClient(kind, account(), keyId, next);
    const calls = [w.transfer(bob, USDC(81))];
    const tooMuch = await fresh.send(calls);
    const reason = await w.reasonOf(tooMuch, fresh.context, calls);
    expect(reason.error).toBe('SpendLimitExceeded');
    expect(reason.args[2]).toBe(USDC(20)); // the 20 spent by the old signer still counts
    expect((await fresh.send([w.transfer(bob, USDC(10))])).ok).toBe(true);
    agentApi = fresh;
  });

  it("8. the owner's own transfers keep working with the hook installed", async () => {
    const before = await w.usdcBalance(bob);
    await w.ownerSend(owners[kind], [w.transfer(bob, USDC(500))]);
    expect(await w.usdcBalance(bob)).toBe(before + USDC(500));
  });

  it('9. a call to a target that is not allowed is refused in validation', async () => {
    const calls = [w.transfer(bob, 1n, w.c.tokens.dai)];
    const res = await agentApi.send(calls);
    expect(res.ok).toBe(false);
    expect(res.ok || res.refusal.stage).toBe('validation');
    const reason = await w.reasonOf(res, agentApi.context, calls);
    expect(reason.error).toBe('CallNotAllowed');
    expect(reason.args.slice(1)).toEqual([w.c.tokens.dai, selectorOf('transfer(address,uint256)')]);
  });
});

describe('one keyId on the Kernel, Nexus and Safe accounts', () => {
  const carol = '0x000000000000000000000000000000000000ca01' as Address;
  let keyId: bigint;
  let agent: ReturnType<World['newAgent']>;
  let fromBlock: bigint;
  const addr = (k: AccountKind) => owners[k].account.address;

  it('is enabled on all three (Nexus and Safe consent by ERC-1271) with one policy each', async () => {
    fromBlock = await w.pub.getBlockNumber();
    agent = w.newAgent();
    const salt = w.salt('shared');
    keyId = keyIdFor(addr('kernel'), salt);
    const deadline = BigInt((await w.now()) + HOUR);
    const auths = [selfAuth(addr('kernel'))];
    for (const k of ['nexus', 'safe'] as const) {
      const nonce = await w.pub.readContract({ address: w.c.functor.keyStore, abi: keyStoreAbi, functionName: 'nonces', args: [addr(k)] });
      const typedData = enableTypedData({ chainId: w.c.chainId, keyStore: w.c.functor.keyStore, keyId, account: addr(k), nonce, deadline });
      auths.push(await signEnableConsent({ kind: k, account: owners[k].account, owner: w.owner, ownerValidator: ownerValidatorOf(w.c, k), typedData }));
    }
    const permission = await usdcPermission();
    await w.ownerSend(owners.kernel, [
      registerCall(w.c.functor.keyStore, salt, [ecdsaSignerId(agent.address)], auths),
      { to: w.c.functor.policyHook, data: encodeSetPolicies(keyId, permission, 0n) },
    ]);
    // After the register that enabled the key there (setPolicies refuses a key not enabled).
    for (const k of ['nexus', 'safe'] as const) {
      await w.ownerSend(owners[k], [{ to: w.c.functor.policyHook, data: encodeSetPolicies(keyId, permission, 0n) }]);
    }
    expect((await readKey(w.pub, w.c.functor.keyStore, keyId)).accounts).toEqual([addr('kernel'), addr('nexus'), addr('safe')]);
  });

  it("shares one spend counter: the limit is the key's, not the account's", async () => {
    const on = (k: AccountKind) => w.agentClient(k, addr(k), keyId, agent);
    expect((await (await on('kernel')).send([w.transfer(carol, USDC(60))])).ok).toBe(true);
    const nexus = await on('nexus');
    const calls = [w.transfer(carol, USDC(50))];
    const reason = await w.reasonOf(await nexus.send(calls), nexus.context, calls);
    expect(reason.error).toBe('SpendLimitExceeded');
    expect(reason.args[2]).toBe(USDC(60));
    expect((await (await on('safe')).send([w.transfer(carol, USDC(40))])).ok).toBe(true);
    expect(await w.usdcBalance(carol)).toBe(USDC(100));
  });

  it('7. is revoked with ONE transaction: all three refuse it at validation, and no account pays gas', async () => {
    const receipt = await w.ownerSend(owners.kernel, [revokeCall(w.c.functor.keyStore, keyId)]);
    expect(receipt.receipt.transactionHash).toMatch(/^0x/);
    for (const k of ['kernel', 'nexus', 'safe'] as const) {
      expect(await grantState(w.pub, w.c.functor.keyStore, keyId, addr(k))).toBe('revoked');
      const eth = await w.pub.getBalance({ address: addr(k) });
      const deposit = await w.pub.readContract({ address: w.c.entryPoint, abi: entryPoint07Abi, functionName: 'balanceOf', args: [addr(k)] });
      const api = await w.agentClient(k, addr(k), keyId, agent);
      const calls = [w.transfer(carol, 1n)];
      const res = await api.send(calls);
      expect(res.ok).toBe(false);
      expect(res.ok || res.refusal.stage).toBe('validation');
      expect((await w.reasonOf(res, api.context, calls)).error).toBe('KeyNotActive');
      expect(await w.pub.getBalance({ address: addr(k) })).toBe(eth);
      expect(await w.pub.readContract({ address: w.c.entryPoint, abi: entryPoint07Abi, functionName: 'balanceOf', args: [addr(k)] })).toBe(deposit);
    }
  });

  it('the history read back matches what happened', async () => {
    const { entries, total } = await readHistory(w.pub, { hook: w.c.functor.policyHook, entryPoint: w.c.entryPoint, keyId, fromBlock });
    expect(total).toBe(2);
    expect(entries.map((e) => (e.kind === 'executed' ? [e.account, e.calls[0]!.target, e.spends[0]!.counted, e.spends[0]!.used] : []))).toEqual([
      [addr('kernel'), w.c.tokens.usdc, USDC(60), USDC(60)],
      [addr('safe'), w.c.tokens.usdc, USDC(40), USDC(100)],
    ]);
    const page = await readHistory(w.pub, { hook: w.c.functor.policyHook, entryPoint: w.c.entryPoint, keyId, fromBlock, offset: 1, limit: 1 });
    expect(page.entries).toEqual(entries.slice(1));
    expect(await w.usdcBalance(carol)).toBe(USDC(100));
  });
});

describe.each(ACCOUNT_KINDS)('%s account, at the end', (kind) => {
  it('the owner uninstalls the Functor modules: keys can do nothing there any more', async () => {
    const f = w.c.functor;
    const a = owners[kind].account;
    await w.ownerSend(owners[kind], await functorUninstallCalls(kind, w.pub, a, f));
    // the terms writer stays named: the new epoch voids what the module cached
    expect(await functorStatus(kind, w.pub, a.address, f)).toEqual({
      deployed: true,
      validator: false,
      hook: false,
      initialized: false,
      delegationManager: zeroAddress,
      termsWriter: true,
    });
    // The owner still controls the account.
    await w.ownerSend(owners[kind], [w.mint(a.address, 1n)]);
  });

  it('the owner installs it again; with one role removed by hand, the status says which and the install adds only what is missing', async () => {
    const f = w.c.functor;
    const a = owners[kind].account;
    await w.ownerSend(owners[kind], await functorInstallCalls(kind, a, f, await functorStatus(kind, w.pub, a.address, f)));
    expect(functorInstalled(await functorStatus(kind, w.pub, a.address, f))).toBe(true);
    // One role out: Kernel's hook call (Kernel keeps the hook bound to the validation), the others'
    // global hook. Either role's onUninstall uninstalls the module for both.
    const hookOut =
      kind === 'kernel'
        ? encodeUninstallModule({ account: a, modules: [{ type: 'hook', address: f.policyHook, deInitData: '0x' }] })
        : (await functorUninstallCalls(kind, w.pub, a, f)).slice(-1);
    await w.ownerSend(owners[kind], hookOut);
    const half = await functorStatus(kind, w.pub, a.address, f);
    expect(half).toMatchObject({ validator: true, hook: kind === 'kernel', initialized: false });
    // The module is still the account's validator, but its hook role's onUninstall ran: a key's op
    // is refused in validation (NotInstalled), never run with no hook around it.
    const agent = w.newAgent();
    const salt = w.salt(`validator-role-alone-${kind}`);
    const keyId = keyIdFor(a.address, salt);
    await w.ownerSend(owners[kind], [registerCall(w.c.functor.keyStore, salt, [ecdsaSignerId(agent.address)], [selfAuth(a.address)])]);
    const api = await w.agentClient(kind, a.address, keyId, agent);
    const calls = [w.transfer(a.address, 1n)];
    const res = await api.send(calls);
    expect(res.ok || res.refusal.stage).toBe('validation');
    expect((await w.reasonOf(res, api.context, calls)).error).toBe('NotInstalled');
    const again = await functorInstallCalls(kind, a, f, half);
    expect(again.length, 'Nexus and Safe7579: the hook role alone').toBe(1);
    await w.ownerSend(owners[kind], again);
    expect(functorInstalled(await functorStatus(kind, w.pub, a.address, f))).toBe(true);
    await w.ownerSend(owners[kind], await functorUninstallCalls(kind, w.pub, a, f));
    expect(await functorStatus(kind, w.pub, a.address, f)).toMatchObject({ validator: false, hook: false, initialized: false });
  });

  it('with the validator role removed by hand, the install puts the hook role in again: only its onInstall installs the module', async () => {
    const f = w.c.functor;
    const a = owners[kind].account;
    await w.ownerSend(owners[kind], await functorInstallCalls(kind, a, f, await functorStatus(kind, w.pub, a.address, f)));
    expect(functorInstalled(await functorStatus(kind, w.pub, a.address, f))).toBe(true);
    // The validator role's call alone: Kernel's one call (it removes the validation and the hook
    // bound to it), the others' first (the hook role's comes last).
    const all = await functorUninstallCalls(kind, w.pub, a, f);
    await w.ownerSend(owners[kind], kind === 'kernel' ? all : all.slice(0, -1));
    const half = await functorStatus(kind, w.pub, a.address, f);
    // Nexus and Safe7579 keep the module as their global hook, uninstalled: keys refused, not unguarded.
    expect(half).toMatchObject({ validator: false, hook: kind !== 'kernel', initialized: false });
    await w.ownerSend(owners[kind], await functorInstallCalls(kind, a, f, half));
    expect(functorInstalled(await functorStatus(kind, w.pub, a.address, f))).toBe(true);
    await w.ownerSend(owners[kind], await functorUninstallCalls(kind, w.pub, a, f));
    expect(await functorStatus(kind, w.pub, a.address, f)).toMatchObject({ validator: false, hook: false, initialized: false });
  });
});
