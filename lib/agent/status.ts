// A grant's state as the agent sees it, read from the chain: whether the key is active, whether
// its signer is current, each limit's use and what is left, when it resets, the expiry and the gas
// bound. One reading shared by `functor-agent status` and the MCP server's `status` tool, so a
// person at a shell and a model through MCP are told the same thing. No node APIs.
import { type Address, type Chain, erc20Abi, formatUnits, type PublicClient, type Transport } from 'viem';
import { functorPolicyHookAbi } from '../abi/generated.js';
import { readLaneSequence } from '../accounts/nonceKey.js';
import { ecdsaSignerId } from '../keystore/ids.js';
import { grantState, readKey } from '../keystore/read.js';
import type { FunctorPermissionContext } from '../permissions/context.js';
import { describeOpBound, formatUsage, type TokenInfo } from '../permissions/index.js';
import { readUsage } from '../permissions/usage.js';

export const NATIVE: TokenInfo = { symbol: 'ETH', decimals: 18 };

export async function tokenInfo(pub: PublicClient<Transport, Chain>, token: Address): Promise<TokenInfo> {
  const [symbol, decimals] = await Promise.all([
    pub.readContract({ address: token, abi: erc20Abi, functionName: 'symbol' }),
    pub.readContract({ address: token, abi: erc20Abi, functionName: 'decimals' }),
  ]);
  return { symbol, decimals };
}

export type SpendStatus = {
  token: Address | 'native';
  symbol: string;
  used: string;
  limit: string;
  left: string;
  /** Unix seconds when a fixed window resets; undefined for a sliding window (it frees as spend ages out). */
  resetsAt?: number;
  text: string;
};

export type GrantStatus = {
  /** The key may act now: enabled on the account, not revoked, within its validity, ops left. */
  active: boolean;
  state: string;
  revoked: boolean;
  /** Whether the given signer is one of the key's current signers (undefined: none given). */
  signerCurrent?: boolean;
  validAfter?: number;
  expiry?: number;
  spends: SpendStatus[];
  rate?: { used: bigint; max: bigint };
  ops?: { made: bigint; left: number; ceiling: number; text: string; gas: string };
  /** The lines `functor-agent status` prints. */
  lines: string[];
};

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

export async function readGrantStatus(
  pub: PublicClient<Transport, Chain>,
  p: { context: FunctorPermissionContext; keyStore: Address; entryPoint: Address; signer?: Address; now?: number },
): Promise<GrantStatus> {
  const { context } = p;
  const [state, key, policies, sequence, block] = await Promise.all([
    grantState(pub, p.keyStore, context.keyId, context.account),
    readKey(pub, p.keyStore, context.keyId),
    pub.readContract({ address: context.hook, abi: functorPolicyHookAbi, functionName: 'policiesOf', args: [context.account, context.keyId] }),
    readLaneSequence(pub, { entryPoint: p.entryPoint, account: context.account, module: context.hook, keyId: context.keyId, kind: context.kind }),
    p.now === undefined ? pub.getBlock() : Promise.resolve({ timestamp: BigInt(p.now) }),
  ]);
  // Validity is judged by the chain's clock, the one the hook uses.
  const now = Number(block.timestamp);
  const lines: string[] = [];
  const keyHex = `0x${context.keyId.toString(16)}`;
  lines.push(`account   ${context.account} (${context.kind}) on chain ${context.chainId}`);
  lines.push(`key       ${keyHex}: ${key.revoked ? 'revoked' : state}${state === 'enabled' && !key.revoked ? ' (active)' : ''}`);
  let signerCurrent: boolean | undefined;
  if (p.signer) {
    signerCurrent = key.signers.some((s) => s.toLowerCase() === ecdsaSignerId(p.signer!).toLowerCase());
    lines.push(`signer    ${p.signer}: ${signerCurrent ? 'a current signer of the key' : 'NOT a signer of the key (rotated or never registered)'}`);
  }
  const validAfter = policies.validAfter || undefined;
  const expiry = policies.validUntil || undefined;
  if (validAfter && validAfter > now) lines.push(`valid     from ${iso(validAfter)} (not yet)`);
  if (expiry) lines.push(`expiry    ${iso(expiry)}${expiry <= now ? ' (expired)' : ''}`);
  else lines.push('expiry    none set');

  const usage = await readUsage(pub, { hook: context.hook, account: context.account, keyId: context.keyId, tokens: {} });
  const infos: Record<string, TokenInfo> = {};
  for (const s of usage.spends) {
    if (s.spend.token === 'native') infos.native = NATIVE;
    else infos[s.spend.token.toLowerCase()] ??= await tokenInfo(pub, s.spend.token);
  }
  const spends: SpendStatus[] = usage.spends.map((s) => {
    const t = infos[s.spend.token === 'native' ? 'native' : s.spend.token.toLowerCase()]!;
    const left = s.spend.limit - s.used > 0n ? s.spend.limit - s.used : 0n;
    const fixed = s.spend.period.kind !== 'sliding';
    const text = formatUsage(s.used, s.spend.limit, t, s.spend.period, { resetsAt: s.resetsAt || undefined, now });
    lines.push(`spend     ${text} (left: ${formatUnits(left, t.decimals)} ${t.symbol})`);
    return {
      token: s.spend.token,
      symbol: t.symbol,
      used: formatUnits(s.used, t.decimals),
      limit: formatUnits(s.spend.limit, t.decimals),
      left: formatUnits(left, t.decimals),
      resetsAt: fixed && s.resetsAt ? s.resetsAt : undefined,
      text,
    };
  });
  if (spends.length === 0) lines.push('spend     no spend limit set');
  if (usage.rate) lines.push(`rate      ${usage.rate.used} / ${usage.rate.max} transactions in the window`);

  const g = policies.gas;
  let ops: GrantStatus['ops'];
  if (g.opCeiling === 0) lines.push('ops       no policy on this account: the key cannot act here');
  else {
    const bound = describeOpBound({ opCeiling: g.opCeiling, maxCostPerOp: g.maxCostPerOp, maxFeePerGas: BigInt(g.maxFeePerGas), budget: g.budget }, sequence);
    ops = { made: sequence, left: bound.left, ceiling: g.opCeiling, text: bound.ops, gas: bound.gas };
    lines.push(`ops       ${bound.ops}`);
    lines.push(`gas       ${bound.gas}`);
  }
  const valid = (!validAfter || validAfter <= now) && (!expiry || expiry > now);
  const active = state === 'enabled' && !key.revoked && valid && (ops?.left ?? 0) > 0;
  return { active, state, revoked: key.revoked, signerCurrent, validAfter, expiry, spends, rate: usage.rate, ops, lines };
}
