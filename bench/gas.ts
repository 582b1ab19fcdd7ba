// Gas measurements on the devnet, all read from receipts: per account kind, owner vs session-key
// ERC-20 transfers (single and batch of 5) under three policy sets, module installs; and the
// KeyStore's own costs as plain transactions.
//
// What is measured: the `gasUsed` of the bundle transaction (handleOps with exactly one UserOp,
// checked), in steady state: account deployed, modules installed, the key already used once, the
// recipients already holding the token, and the account holding an EntryPoint deposit that covers
// the op (so no prefund is sent and no SSTORE refund depends on gas prices: RECIPES' 2,800 note).
// The UserOperationEvent's `actualGasUsed` is recorded beside it but not used for comparisons: it
// includes the bundler's preVerificationGas guess and the 10% penalty on unused call gas (Kernel's
// session ops carry the account's own call gas, lib/agent/callGas.ts), so it says more about limits
// than about cost.
import { type Address, createWalletClient, encodeFunctionData, erc20Abi, type Hex, http, parseEther, parseEventLogs, parseUnits, toHex } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAccount } from 'viem/accounts';
import { entryPoint07Abi, type SmartAccount } from 'viem/account-abstraction';
import { createSmartAccountClient } from 'permissionless';
import { erc7710WalletActions } from '@metamask/smart-accounts-kit/actions';
import { overrideDeployedEnvironment } from '@metamask/smart-accounts-kit/utils';
import type { Devnet } from '../devnet/devnet.js';
import { devTokenAbi, functorPolicyHookAbi } from '../lib/abi/generated.js';
import { bundlerClientFor, devnetChain, type Network, publicClientFor } from '../lib/accounts/clients.js';
import { functorExecutorInstallCall, functorInstallCalls } from '../lib/accounts/functorModules.js';
import type { AccountKind } from '../lib/accounts/kinds.js';
import { toOwnerAccount } from '../lib/accounts/toOwnerAccount.js';
import { sendCalls } from '../lib/agent/sendCalls.js';
import { toFunctorSessionAccount } from '../lib/agent/sessionAccount.js';
import type { Call } from '../lib/functorMode.js';
import { encodeContext } from '../lib/erc7715/response.js';
import { enableTypedData } from '../lib/keystore/consent.js';
import { type EnableAuth, enableCall, registerCall, revokeCall, rotateSignerCall, selfAuth } from '../lib/keystore/calls.js';
import { ecdsaSignerId, keyIdFor } from '../lib/keystore/ids.js';
import { readLaneSequence } from '../lib/accounts/nonceKey.js';
import { addressWord, encodeSetPolicies, gasDefaults, type Permission, selectorOf } from '../lib/permissions/index.js';
import { type MadeOf, traceMadeOf } from './opcodes.js';
import { addressNames, type Phases, phasesOf, traceFrames } from './phases.js';

export const VARIANTS = ['owner', 'calls', 'spend', 'payee', 'full'] as const;
export type Variant = (typeof VARIANTS)[number];
export const SHAPES = ['transfer', 'batch5'] as const;
export type Shape = (typeof SHAPES)[number];

export const VARIANT_LABEL: Record<Variant, string> = {
  owner: 'owner-signed',
  calls: 'session: calls only',
  spend: 'session: calls + sliding spend limit',
  payee: 'session: calls + spend + payee condition',
  full: 'session: calls + spend + rate + expiry',
};

/** One figure measured `runs.length` times; `median` is what tables show. */
export interface Sample {
  median: number;
  runs: number[];
}

export interface OpSample extends Sample {
  /** UserOperationEvent.actualGasUsed of each run (see the header: not for comparisons). */
  actualGasUsed: number[];
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
};
const sample = (runs: number[]): Sample => ({ median: median(runs), runs });

const DAY = 86400;
const USDC = (n: number) => parseUnits(String(n), 6);
/** Receipts are polled this often (viem's default for a chain without a block time is 4 s). */
const POLL_MS = 200;
/** Each account's EntryPoint deposit: far above any op's required prefund, so none is sent. */
const DEPOSIT = parseEther('5');
/** Recipients of the transfers; they hold USDC before anything is measured. */
export const RECIPIENTS: Address[] = [1, 2, 3, 4, 5].map((i) => `0x00000000000000000000000000000000000be0${i.toString().padStart(2, '0')}` as Address);

/** What the ERC-7710 figure is (results.json's `erc7710Measure`, results.md's note under its table). */
export const ERC7710_MEASURE =
  "gasUsed of the agent's own transaction redeeming the grant through MetaMask's DelegationManager " +
  '(`erc7710WalletActions().sendTransactionWithDelegation`: redeemDelegations → FunctorValidator as executor → the account), ' +
  'one USDC transfer under the same key as the session UserOp with calls + one sliding spend limit, in steady state ' +
  '(executor installed, one redemption before, not counted). It includes the 21,000 intrinsic gas, the calldata and the ' +
  "DelegationManager's own overhead (delegation decoding and hashing, the ERC-1271 check, the caveat hooks); the UserOp " +
  "figure beside it is the handleOps bundle's gasUsed, which includes the EntryPoint's overhead instead.";

export function world(devnet: Devnet) {
  const c = devnet.config;
  // The kit reports each call to MetaMask's analytics unless told not to; the bench never phones home.
  process.env.DO_NOT_TRACK = '1';
  // What MetaMask's local-development guide has an agent do on a local chain.
  overrideDeployedEnvironment(c.chainId, '1.3.0', c.delegationFramework);
  const net: Network = { chain: devnetChain(c.chainId, c.rpcUrl), rpcUrl: c.rpcUrl, bundlerUrl: c.bundlerUrl, entryPoint: c.entryPoint };
  const pub = publicClientFor(net);
  const owner = privateKeyToAccount(c.owners[0]!.privateKey);
  // A funded EOA for plain transactions: deposits, token mints, and the KeyStore's own costs.
  const funder = createWalletClient({ chain: net.chain, transport: http(c.rpcUrl), account: privateKeyToAccount(c.owners[1]!.privateKey) });

  /** lib/accounts/clients.ts's smartAccountClientFor, polling receipts faster. */
  function clientFor(account: SmartAccount) {
    const bundler = bundlerClientFor(net);
    return createSmartAccountClient({
      account,
      chain: net.chain,
      client: pub,
      bundlerTransport: http(net.bundlerUrl),
      pollingInterval: POLL_MS,
      userOperation: { estimateFeesPerGas: async () => (await bundler.getUserOperationGasPrice()).fast },
    });
  }

  async function eoaTx(to: Address, data: Hex, value = 0n) {
    const hash = await funder.sendTransaction({ to, data, value });
    const r = await pub.waitForTransactionReceipt({ hash, pollingInterval: POLL_MS });
    if (r.status !== 'success') throw new Error(`transaction to ${to} reverted`);
    return Number(r.gasUsed);
  }

  const deposit = (account: Address) => pub.readContract({ address: c.entryPoint, abi: entryPoint07Abi, functionName: 'balanceOf', args: [account] });

  /** The bundle's gasUsed, checking it carried exactly this one op and sent no prefund. */
  async function measureBundle(txHash: Hex, sender: Address, depositBefore: bigint) {
    const r = await pub.getTransactionReceipt({ hash: txHash });
    const events = parseEventLogs({ abi: entryPoint07Abi, eventName: 'UserOperationEvent', logs: r.logs });
    if (events.length !== 1) throw new Error(`bundle ${txHash} carried ${events.length} ops: not comparable`);
    const ev = events[0]!.args;
    if (ev.sender.toLowerCase() !== sender.toLowerCase() || !ev.success) throw new Error(`op in ${txHash} failed`);
    const depositAfter = await deposit(sender);
    if (depositBefore - depositAfter !== ev.actualGasCost) {
      throw new Error(`${sender} sent a prefund in ${txHash}: its deposit ran low, not steady state`);
    }
    // The op's sequence number on its nonce key: 0 means the EntryPoint wrote a fresh nonce slot.
    const sequence = ev.nonce & ((1n << 64n) - 1n);
    return { gasUsed: Number(r.gasUsed), actualGasUsed: Number(ev.actualGasUsed), txHash, freshNonceKey: sequence === 0n };
  }

  const transfer = (to: Address, amount: bigint): Call => ({
    to: c.tokens.usdc,
    data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, amount] }),
  });
  const mint = (to: Address, amount: bigint): Call => ({
    to: c.tokens.usdc,
    data: encodeFunctionData({ abi: devTokenAbi, functionName: 'mint', args: [to, amount] }),
  });
  const shapeCalls = (shape: Shape): Call[] => (shape === 'transfer' ? [transfer(RECIPIENTS[0]!, USDC(1))] : RECIPIENTS.map((r) => transfer(r, USDC(1))));
  const now = async () => Number((await pub.getBlock()).timestamp);

  async function permissionFor(variant: Exclude<Variant, 'owner'>, kind: AccountKind): Promise<Permission> {
    const calls = [{ to: c.tokens.usdc, selector: selectorOf('transfer(address,uint256)') }];
    const spend = [{ token: c.tokens.usdc, limit: USDC(1_000_000), period: { kind: 'sliding' as const, seconds: DAY } }];
    const t = await now();
    // The extension's defaults for this kind at the chain's fees now (100 ops: more than a run sends).
    const gas = await gasDefaults(pub, { kind: kind, calls: calls.length, now: t });
    if (variant === 'calls') return { calls, spend: [], gas };
    if (variant === 'spend') return { calls, spend, gas };
    // One argument condition: the transfer's recipient one of the bench's recipients (issue 20).
    if (variant === 'payee') return { calls: [{ ...calls[0]!, args: [{ arg: 0, op: 'oneOf', values: RECIPIENTS.map(addressWord) }] }], spend, gas };
    const rate = { maxCalls: 10_000, seconds: DAY };
    const expiry = t + 30 * DAY;
    return { calls, spend, rate, expiry, gas: await gasDefaults(pub, { kind: kind, calls: calls.length, rate, expiry, now: t }) };
  }

  /** An owner account of `kind` (index: which one), with its deposit, deployed and funded. */
  async function ownerAccount(kind: AccountKind, index: bigint) {
    const account = await toOwnerAccount({ kind, client: pub, owner, addresses: c, index });
    await eoaTx(c.entryPoint, encodeFunctionData({ abi: entryPoint07Abi, functionName: 'depositTo', args: [account.address] }), DEPOSIT);
    const o = { account, client: clientFor(account) };
    await ownerSend(o, [mint(account.address, USDC(1_000_000))]);
    return o;
  }
  type Owner = Awaited<ReturnType<typeof ownerAccount>>;

  async function ownerSend(o: { account: SmartAccount; client: ReturnType<typeof clientFor> }, calls: Call[]) {
    const before = await deposit(o.account.address);
    // One nonce key for every owner op, as the session ops have theirs: viem's smart accounts pick a
    // fresh, time-based key per op by default (Nexus and Safe honour it), which makes the EntryPoint
    // write a new nonce slot (about 17,000 gas more) on every op: not like with like.
    const nonce = await o.account.getNonce({ key: 0n });
    const hash = await o.client.sendUserOperation({ calls, nonce });
    const r = await o.client.waitForUserOperationReceipt({ hash, pollingInterval: POLL_MS });
    if (!r.success) throw new Error(`owner op on ${o.account.address} failed`);
    return { before, txHash: r.receipt.transactionHash };
  }

  async function ownerMeasured(o: Owner, calls: Call[]) {
    const { before, txHash } = await ownerSend(o, calls);
    return measureBundle(txHash, o.account.address, before);
  }

  /**
   * A whole grant as the extension makes it, on an account that has none yet: one owner UserOp with
   * KeyStore.register (one signer, enabled on the account) and the hook's setPolicies (calls + one
   * sliding limit, the 'spend' variant). The key is never used.
   */
  async function measureGrant(o: Owner, kind: AccountKind) {
    const signer = privateKeyToAccount(generatePrivateKey());
    const salt = toHex(`bench-grant-${kind}-${Date.now()}`, { size: 32 });
    const keyId = keyIdFor(o.account.address, salt);
    const lane = await readLaneSequence(pub, { entryPoint: c.entryPoint, account: o.account.address, module: c.functor.policyHook, keyId, kind });
    const calls: Call[] = [
      registerCall(c.functor.keyStore, salt, [ecdsaSignerId(signer.address)], [selfAuth(o.account.address)]),
      { to: c.functor.policyHook, data: encodeSetPolicies(keyId, await permissionFor('spend', kind), lane) },
    ];
    return (await ownerMeasured(o, calls)).gasUsed;
  }

  /** A key for `variant` on the owner's account; returns how to send as it. */
  async function grantKeys(o: Owner, kind: AccountKind) {
    const grants = [] as { variant: Exclude<Variant, 'owner'>; keyId: bigint; signer: PrivateKeyAccount; setup: Call[] }[];
    for (const variant of ['calls', 'spend', 'payee', 'full'] as const) {
      const signer = privateKeyToAccount(generatePrivateKey());
      const salt = toHex(`bench-${kind}-${variant}-${Date.now()}`, { size: 32 });
      const keyId = keyIdFor(o.account.address, salt);
      grants.push({
        variant,
        keyId,
        signer,
        setup: [
          registerCall(c.functor.keyStore, salt, [ecdsaSignerId(signer.address)], [selfAuth(o.account.address)]),
          // After register (setPolicies needs the key enabled); a fresh key's lane may still be shared.
          {
            to: c.functor.policyHook,
            data: encodeSetPolicies(
              keyId,
              await permissionFor(variant, kind),
              await readLaneSequence(pub, { entryPoint: c.entryPoint, account: o.account.address, module: c.functor.policyHook, keyId, kind }),
            ),
          },
        ],
      });
    }
    await ownerSend(
      o,
      grants.flatMap((g) => g.setup),
    );
    const spendKey = grants.find((g) => g.variant === 'spend')!;
    const senders = {} as Record<
      Exclude<Variant, 'owner'>,
      (calls: Call[]) => Promise<{ gasUsed: number; actualGasUsed: number; txHash: Hex; freshNonceKey: boolean }>
    >;
    for (const g of grants) {
      const context = { kind, account: o.account.address, keyId: g.keyId, module: c.functor.policyHook, entryPoint: c.entryPoint };
      const session = await toFunctorSessionAccount({ client: pub, context, signer: g.signer });
      const client = clientFor(session);
      senders[g.variant] = async (calls) => {
        const before = await deposit(o.account.address);
        const res = await sendCalls(client, context, calls);
        if (!res.ok)
          throw new Error(`${kind} ${g.variant} session op refused: ${JSON.stringify(res.refusal, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
        return measureBundle(res.transactionHash, o.account.address, before);
      };
    }
    return { senders, spendKey: { keyId: spendKey.keyId, signer: spendKey.signer } };
  }

  /**
   * ERC-7710: one USDC transfer redeemed through MetaMask's DelegationManager under the session
   * UserOps' own calls + spend key (same keyId, same signer, same window), as a plain transaction the
   * agent pays: the executor installed, one redemption first (not counted), then `runs` measured.
   * Run after the UserOp rounds, so their figures are measured exactly as before.
   */
  async function benchRedemption(o: Owner, kind: AccountKind, key: { keyId: bigint; signer: PrivateKeyAccount }, runs: number) {
    const dm = c.delegationFramework.DelegationManager;
    const f = c.functor;
    await ownerSend(o, [...functorExecutorInstallCall(kind, o.account, f, dm)]);
    await eoaTx(key.signer.address, '0x', parseEther('1')); // the agent pays its own transactions
    const context = encodeContext({
      chainId: c.chainId,
      account: o.account.address,
      keyId: key.keyId,
      validator: f.validator,
      hook: f.policyHook,
      kind,
      delegationManager: dm,
    });
    const agent = createWalletClient({ account: key.signer, chain: net.chain, transport: http(c.rpcUrl), pollingInterval: POLL_MS }).extend(
      erc7710WalletActions(),
    );
    const call = shapeCalls('transfer')[0]!;
    const gasUsed: number[] = [];
    let lastTx: Hex | undefined;
    for (let round = 0; round <= runs; round++) {
      const hash = await agent.sendTransactionWithDelegation({
        account: key.signer,
        chain: net.chain,
        to: call.to,
        data: call.data,
        permissionContext: context,
        delegationManager: dm,
      });
      const r = await pub.waitForTransactionReceipt({ hash, pollingInterval: POLL_MS });
      if (r.status !== 'success') throw new Error(`${kind} ERC-7710 redemption ${hash} reverted`);
      if (r.to?.toLowerCase() !== dm.toLowerCase() || r.from.toLowerCase() !== key.signer.address.toLowerCase()) {
        throw new Error(`${kind} ERC-7710 redemption ${hash}: not the agent's transaction to the DelegationManager`);
      }
      const executed = parseEventLogs({ abi: functorPolicyHookAbi, eventName: 'KeyExecuted', logs: r.logs });
      if (executed.length !== 1 || executed[0]!.args.keyId !== key.keyId || executed[0]!.args.account.toLowerCase() !== o.account.address.toLowerCase()) {
        throw new Error(`${kind} ERC-7710 redemption ${hash}: expected one KeyExecuted for the key, got ${executed.length}`);
      }
      if (round === 0) continue; // warm-up: the first redemption (executor's and DelegationManager's first use)
      gasUsed.push(Number(r.gasUsed));
      lastTx = hash;
    }
    return { delegationManager: dm, gasUsed: sample(gasUsed), lastTx: lastTx! };
  }

  /**
   * Everything measured on one account kind: installs on `installs` fresh accounts, then `runs`
   * rounds (after one warm-up round) of every variant and shape, interleaved so that drift (a
   * sliding window's bucket rolling over) does not land on one variant only.
   */
  async function benchAccount(kind: AccountKind, runs: number, installs: number, log: (s: string) => void) {
    const accounts: Owner[] = [];
    const install: number[] = [];
    const grant: number[] = [];
    const bare = { gasUsed: [] as number[], actualGasUsed: [] as number[] };
    for (let i = 0; i < installs; i++) {
      const o = await ownerAccount(kind, BigInt(i));
      if (i === 0) {
        // The owner's transfer before Functor is installed: what the hook's pass-through costs the
        // owner's own transactions afterwards (Nexus, Safe7579: a global hook; Kernel: none).
        for (let round = 0; round <= runs; round++) {
          const m = await ownerMeasured(o, shapeCalls('transfer'));
          if (round === 0) continue;
          if (m.freshNonceKey) throw new Error(`${kind} owner before install: the op opened a new nonce key, not steady state`);
          bare.gasUsed.push(m.gasUsed);
          bare.actualGasUsed.push(m.actualGasUsed);
        }
      }
      const f = c.functor;
      install.push((await ownerMeasured(o, await functorInstallCalls(kind, o.account, f))).gasUsed);
      grant.push(await measureGrant(o, kind));
      accounts.push(o);
    }
    const main = accounts[0]!;
    const { senders: session, spendKey } = await grantKeys(main, kind);
    const send = (variant: Variant, calls: Call[]) => (variant === 'owner' ? ownerMeasured(main, calls) : session[variant](calls));

    const raw = {} as Record<Shape, Record<Variant, { gasUsed: number[]; actualGasUsed: number[] }>>;
    for (const shape of SHAPES) {
      raw[shape] = {} as Record<Variant, { gasUsed: number[]; actualGasUsed: number[] }>;
      for (const v of VARIANTS) raw[shape][v] = { gasUsed: [], actualGasUsed: [] };
    }
    const lastTx = { transfer: {}, batch5: {} } as Record<Shape, Record<Variant, Hex>>;
    for (let round = 0; round <= runs; round++) {
      for (const shape of SHAPES) {
        for (const variant of VARIANTS) {
          const m = await send(variant, shapeCalls(shape));
          if (round === 0) continue; // warm-up: first use of the key, of its counters, of its nonce key
          if (m.freshNonceKey) throw new Error(`${kind} ${variant} ${shape}: the op opened a new nonce key, not steady state`);
          raw[shape][variant].gasUsed.push(m.gasUsed);
          raw[shape][variant].actualGasUsed.push(m.actualGasUsed);
          lastTx[shape][variant] = m.txHash;
        }
      }
      log(`  ${kind}: ${round === 0 ? 'warm-up round' : `round ${round}/${runs}`} done`);
    }
    const out = {} as Record<Shape, Record<Variant, OpSample>>;
    for (const shape of SHAPES) {
      out[shape] = {} as Record<Variant, OpSample>;
      for (const v of VARIANTS) out[shape][v] = { ...sample(raw[shape][v].gasUsed), actualGasUsed: raw[shape][v].actualGasUsed };
    }
    const ownerBeforeInstall: OpSample = { ...sample(bare.gasUsed), actualGasUsed: bare.actualGasUsed };
    // Where the gas of one transfer goes, from the call trace of the last measured run of each variant.
    const names = addressNames(c, main.account.address);
    const phases = {} as Record<Variant, Phases>;
    // ... and what it is made of (cold storage, writes, cold contracts, events, ecrecover, code), opcode by opcode.
    const madeOf = {} as Record<Variant, MadeOf>;
    for (const v of VARIANTS) {
      const hash = lastTx.transfer[v];
      const frames = await traceFrames(pub, hash, names);
      phases[v] = phasesOf(frames, await pub.getTransactionReceipt({ hash }), c);
      madeOf[v] = await traceMadeOf(pub, hash, frames);
    }
    // ERC-7710 after everything above (the executor is installed only now), beside the session UserOp.
    log(`  ${kind}: ERC-7710 redemptions (1 warm-up, ${runs} measured)`);
    const redemption = await benchRedemption(main, kind, spendKey, runs);
    const erc7710 = {
      ...redemption,
      userOpBundleGasUsed: out.transfer.spend.median,
      redemptionMinusUserOp: redemption.gasUsed.median - out.transfer.spend.median,
    };
    return {
      account: main.account.address,
      install: sample(install),
      grant: sample(grant),
      ownerBeforeInstall,
      lastTx,
      phases,
      madeOf,
      erc7710,
      ...out,
    };
  }

  /**
   * The KeyStore's costs as plain transactions from an EOA controller (tx gasUsed, 21,000 intrinsic
   * and calldata included). The accounts a key is enabled on consent with ECDSA signatures of EOAs;
   * a smart account's ERC-1271 check costs its own gas on top.
   */
  async function benchKeyStore(runs: number) {
    const ks = c.functor.keyStore;
    const controller = funder.account.address;
    let n = 0;
    const fresh = () => toHex(`bench-ks-${Date.now()}-${n++}`, { size: 32 });
    const signerId = () => ecdsaSignerId(privateKeyToAccount(generatePrivateKey()).address);
    async function consents(keyId: bigint, count: number): Promise<EnableAuth[]> {
      const deadline = BigInt((await now()) + 3600);
      return Promise.all(
        Array.from({ length: count }, async () => {
          const a = privateKeyToAccount(generatePrivateKey());
          const typedData = enableTypedData({ chainId: c.chainId, keyStore: ks, keyId, account: a.address, nonce: 0n, deadline });
          return { account: a.address, deadline, signature: await a.signTypedData(typedData) };
        }),
      );
    }
    /** A key registered by the controller, enabled on `count` consenting accounts. */
    async function keyOn(count: number) {
      const salt = fresh();
      const keyId = keyIdFor(controller, salt);
      const signer = signerId();
      await eoaTx(ks, registerCall(ks, salt, [signer], []).data);
      const enableGas = count ? await eoaTx(ks, enableCall(ks, keyId, await consents(keyId, count)).data) : 0;
      return { keyId, signer, enableGas };
    }
    const repeat = async (f: () => Promise<number>) => {
      const xs: number[] = [];
      for (let i = 0; i < runs; i++) xs.push(await f());
      return sample(xs);
    };
    return {
      register: await repeat(() => eoaTx(ks, registerCall(ks, fresh(), [signerId()], []).data)),
      registerEnableSelf: await repeat(() => eoaTx(ks, registerCall(ks, fresh(), [signerId()], [selfAuth(controller)]).data)),
      enable1: await repeat(async () => (await keyOn(1)).enableGas),
      enable2: await repeat(async () => (await keyOn(2)).enableGas),
      enable3: await repeat(async () => (await keyOn(3)).enableGas),
      rotateSigner1: await repeat(async () => {
        const k = await keyOn(1);
        return eoaTx(ks, rotateSignerCall(ks, k.keyId, k.signer, signerId()).data);
      }),
      rotateSigner3: await repeat(async () => {
        const k = await keyOn(3);
        return eoaTx(ks, rotateSignerCall(ks, k.keyId, k.signer, signerId()).data);
      }),
      revoke1: await repeat(async () => eoaTx(ks, revokeCall(ks, (await keyOn(1)).keyId).data)),
      revoke3: await repeat(async () => eoaTx(ks, revokeCall(ks, (await keyOn(3)).keyId).data)),
      revoke10: await repeat(async () => eoaTx(ks, revokeCall(ks, (await keyOn(10)).keyId).data)),
    };
  }

  /** Recipients hold USDC before anything is measured (steady state for the token's balances). */
  async function fundRecipients() {
    for (const r of RECIPIENTS) await eoaTx(c.tokens.usdc, mint(r, 1n).data!);
  }

  return { benchAccount, benchKeyStore, fundRecipients };
}

export type AccountResult = Awaited<ReturnType<ReturnType<typeof world>['benchAccount']>>;
export type KeyStoreResult = Awaited<ReturnType<ReturnType<typeof world>['benchKeyStore']>>;
