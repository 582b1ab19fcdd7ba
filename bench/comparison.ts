// The system users would pick instead (issue 17): an agent's USDC transfer under a periodic limit
// with MetaMask's Delegation Framework, on the bench's devnet (deployed there by the kit's own
// `deploySmartAccountsEnvironment`), measured like Functor's ERC-7710 path and set beside Functor's
// two paths of the same run: results.json's `comparison`, results.md's section rendered from it.
//
// A MetaMask Hybrid smart account (deployed, holding USDC) signs a delegation to an agent EOA with
// the kit's `erc20PeriodTransfer` scope: `ValueLteEnforcer` (no native value) and
// `ERC20PeriodTransferEnforcer` (USDC `transfer` only, 1,000,000 USDC per 24 h, the limit of
// Functor's bench key). The agent redeems one 1-USDC transfer to the recipient Functor's transfers
// go to, through `redeemDelegations` (the kit's `sendTransactionWithDelegation`), paying its gas:
// one redemption first (not counted), then the median of the runs.
import { type Address, createWalletClient, encodeFunctionData, erc20Abi, type Hex, http, parseAbi, parseEventLogs, parseUnits, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createDelegation, Implementation, toMetaMaskSmartAccount } from '@metamask/smart-accounts-kit';
import { erc7710WalletActions } from '@metamask/smart-accounts-kit/actions';
import { overrideDeployedEnvironment } from '@metamask/smart-accounts-kit/utils';
import type { Devnet } from '../devnet/devnet.js';
import { devTokenAbi } from '../lib/abi/generated.js';
import { devnetChain, publicClientFor } from '../lib/accounts/clients.js';
import { ACCOUNT_KINDS, type AccountKind } from '../lib/accounts/kinds.js';
import { median, RECIPIENTS, type Sample } from './gas.js';

const DAY = 86400;
const USDC = (n: number) => parseUnits(String(n), 6);
const POLL_MS = 200;
/** The limit of Functor's bench key (bench/gas.ts `permissionFor`: 1,000,000 USDC per 24 h, sliding). */
const PERIOD_AMOUNT = USDC(1_000_000);
const AMOUNT = USDC(1);
/** ERC20PeriodTransferEnforcer's event (@metamask/delegation-abis), emitted on each counted transfer. */
const periodEventAbi = parseAbi([
  'event TransferredInPeriod(address indexed sender, address indexed redeemer, bytes32 indexed delegationHash, address token, uint256 periodAmount, uint256 periodDuration, uint256 startDate, uint256 transferredInCurrentPeriod, uint256 transferTimestamp)',
]);

export const COMPARISON_MEASURE =
  "gasUsed of the transaction that moves 1 USDC out of the account on the agent's behalf, in steady state (each path's " +
  'grant used once before, not counted; the recipient already holds USDC; medians of the runs). MetaMask: the agent EOA ' +
  "sends redeemDelegations to MetaMask's DelegationManager for a MetaMask Hybrid smart account's signed delegation " +
  '(the ERC-1271 check of its signature, the caveat hooks, executeFromExecutor, the transfer). Functor ERC-7710: the same ' +
  "kind of transaction to the same DelegationManager for a Functor grant on a Kernel, Nexus or Safe7579 account (results.md's " +
  "ERC-7710 table). Functor UserOp: the handleOps bundle carrying the session key's UserOp (the EntryPoint's overhead " +
  "included; the bundler sends it, the account's EntryPoint deposit pays it). Each includes the 21,000 intrinsic gas and " +
  'its calldata. Ratios are Functor ÷ MetaMask: below 1, Functor is cheaper.';

export const COMPARISON_GUARANTEES = {
  metamask:
    "MetaMask's erc20PeriodTransfer scope (two caveats): ValueLteEnforcer (no native value sent) and ERC20PeriodTransferEnforcer " +
    '(one single-mode call, to the USDC contract, the `transfer` selector, at most periodAmount per fixed period counted ' +
    'from startDate: the allowance resets at each period boundary, so up to twice the amount can move across one). The ' +
    "delegation binds the agent EOA as delegate; the owner ends it with the DelegationManager's disableDelegation. " +
    'The enforcer emits TransferredInPeriod; no expiry unless a further caveat is added.',
  functorErc7710:
    "Functor's key (calls + one sliding spend limit): FunctorValidator and FunctorPolicyHook check the calls allowlist " +
    "(USDC `transfer`), the redeemer among the key's current signers in the KeyStore (one revocation ends every path and " +
    "account), the key's time bounds, and the spend limit over a sliding 24-hour window (24 buckets: no span of 24 h sees " +
    'more than the limit), measured as the balance change around the calls; every execution emits KeyExecuted (key, ' +
    'signer, calls, spend). The gas caps do not apply on this path: the agent pays its own gas.',
  functorUserOp:
    'The same key, the same checks and the same KeyExecuted event, through the EntryPoint; there the mandatory gas caps ' +
    '(max fee per gas, cost per op, an op ceiling) bound what the agent can make the account pay in gas.',
};

export interface MetaMaskResult {
  account: Address;
  implementation: 'Hybrid';
  delegationManager: Address;
  agent: Address;
  /** The delegation's caveats, by the environment's names for their enforcers. */
  caveats: string[];
  periodAmount: string;
  periodDurationSeconds: number;
  amount: string;
  gasUsed: Sample;
  lastTx: Hex;
}

export async function benchMetaMask(devnet: Devnet, runs: number): Promise<MetaMaskResult> {
  const c = devnet.config;
  process.env.DO_NOT_TRACK = '1'; // the kit reports to MetaMask's analytics unless told not to
  overrideDeployedEnvironment(c.chainId, '1.3.0', c.delegationFramework);
  const chain = devnetChain(c.chainId, c.rpcUrl);
  const pub = publicClientFor({ chain, rpcUrl: c.rpcUrl, bundlerUrl: c.bundlerUrl, entryPoint: c.entryPoint });
  const fund = (a: Address) => pub.request({ method: 'anvil_setBalance' as never, params: [a, toHex(10n ** 19n)] as never });
  const owner = privateKeyToAccount(generatePrivateKey());
  const agent = privateKeyToAccount(generatePrivateKey());
  await fund(owner.address);
  await fund(agent.address);
  const ownerWallet = createWalletClient({ account: owner, chain, transport: http(c.rpcUrl) });
  const sent = async (hash: Hex, what: string) => {
    const r = await pub.waitForTransactionReceipt({ hash, pollingInterval: POLL_MS });
    if (r.status !== 'success') throw new Error(`MetaMask comparison: ${what} (${hash}) reverted`);
    return r;
  };

  const smart = await toMetaMaskSmartAccount({
    client: pub,
    implementation: Implementation.Hybrid,
    deployParams: [owner.address, [], [], []],
    deploySalt: '0x',
    signer: { account: owner },
  });
  const { factory, factoryData } = await smart.getFactoryArgs();
  if (!factory || !factoryData) throw new Error('MetaMask comparison: the kit gave no factory call');
  await sent(await ownerWallet.sendTransaction({ to: factory, data: factoryData }), 'deploying the Hybrid account');
  if (!(await smart.isDeployed())) throw new Error(`MetaMask comparison: no code at ${smart.address} after deploying`);
  const mint = encodeFunctionData({ abi: devTokenAbi, functionName: 'mint', args: [smart.address, USDC(1_000_000)] });
  await sent(await ownerWallet.sendTransaction({ to: c.tokens.usdc, data: mint }), 'minting USDC');

  const env = smart.environment;
  const startDate = Number((await pub.getBlock()).timestamp);
  const delegation = createDelegation({
    environment: env,
    from: smart.address,
    to: agent.address,
    scope: { type: 'erc20PeriodTransfer', tokenAddress: c.tokens.usdc, periodAmount: PERIOD_AMOUNT, periodDuration: DAY, startDate },
  });
  const signed = { ...delegation, signature: await smart.signDelegation({ delegation }) };
  const names = Object.fromEntries(Object.entries(env.caveatEnforcers).map(([name, a]) => [a!.toLowerCase(), name]));
  const caveats = delegation.caveats.map((cv) => names[cv.enforcer.toLowerCase()] ?? cv.enforcer);
  const periodEnforcer = env.caveatEnforcers.ERC20PeriodTransferEnforcer!;

  const dm = env.DelegationManager;
  const wallet = createWalletClient({ account: agent, chain, transport: http(c.rpcUrl), pollingInterval: POLL_MS }).extend(erc7710WalletActions());
  const to = RECIPIENTS[0]!;
  const balance = (a: Address) => pub.readContract({ address: c.tokens.usdc, abi: erc20Abi, functionName: 'balanceOf', args: [a] });
  const gasUsed: number[] = [];
  let lastTx: Hex | undefined;
  for (let round = 0; round <= runs; round++) {
    const [toBefore, fromBefore] = [await balance(to), await balance(smart.address)];
    const hash = await wallet.sendTransactionWithDelegation({
      account: agent,
      chain,
      to: c.tokens.usdc,
      data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, AMOUNT] }),
      permissionContext: [signed],
      delegationManager: dm,
    });
    const r = await sent(hash, 'redemption');
    if (r.to?.toLowerCase() !== dm.toLowerCase() || r.from.toLowerCase() !== agent.address.toLowerCase()) {
      throw new Error(`MetaMask comparison: ${hash} is not the agent's transaction to the DelegationManager`);
    }
    const [toAfter, fromAfter] = [await balance(to), await balance(smart.address)];
    if (toAfter - toBefore !== AMOUNT || fromBefore - fromAfter !== AMOUNT) {
      throw new Error(`MetaMask comparison: ${hash} did not move exactly ${AMOUNT} from ${smart.address} to ${to}`);
    }
    const counted = parseEventLogs({ abi: periodEventAbi, eventName: 'TransferredInPeriod', logs: r.logs }).filter(
      (e) => e.address.toLowerCase() === periodEnforcer.toLowerCase(),
    );
    if (counted.length !== 1 || counted[0]!.args.transferredInCurrentPeriod !== AMOUNT * BigInt(round + 1)) {
      throw new Error(`MetaMask comparison: ${hash}: the period enforcer did not count this transfer (${counted.length} events)`);
    }
    if (round === 0) continue; // warm-up: the enforcer's first count, the delegation's first use
    gasUsed.push(Number(r.gasUsed));
    lastTx = hash;
  }
  return {
    account: smart.address,
    implementation: 'Hybrid',
    delegationManager: dm,
    agent: agent.address,
    caveats,
    periodAmount: PERIOD_AMOUNT.toString(),
    periodDurationSeconds: DAY,
    amount: AMOUNT.toString(),
    gasUsed: { median: median(gasUsed), runs: gasUsed },
    lastTx: lastTx!,
  };
}

/** Functor's figures of the same run per account kind, and each ÷ MetaMask's. */
export interface FunctorSide {
  erc7710RedemptionGas: number;
  userOpBundleGas: number;
  erc7710OverMetaMask: number;
  userOpOverMetaMask: number;
}

export interface Comparison {
  measure: string;
  guarantees: typeof COMPARISON_GUARANTEES;
  metamask: MetaMaskResult;
  functor: Record<AccountKind, FunctorSide>;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;

export function comparisonOf(
  metamask: MetaMaskResult,
  functor: Record<AccountKind, { erc7710: { gasUsed: Sample; userOpBundleGasUsed: number } }>,
): Comparison {
  const mm = metamask.gasUsed.median;
  const side = (k: AccountKind): FunctorSide => {
    const e = functor[k].erc7710;
    return {
      erc7710RedemptionGas: e.gasUsed.median,
      userOpBundleGas: e.userOpBundleGasUsed,
      erc7710OverMetaMask: ratio(e.gasUsed.median, mm),
      userOpOverMetaMask: ratio(e.userOpBundleGasUsed, mm),
    };
  };
  return {
    measure: COMPARISON_MEASURE,
    guarantees: COMPARISON_GUARANTEES,
    metamask,
    functor: Object.fromEntries(ACCOUNT_KINDS.map((k) => [k, side(k)])) as Record<AccountKind, FunctorSide>,
  };
}
