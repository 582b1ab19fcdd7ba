// A key's current window usage per policy on an account, read from the hook, in words.
import type { Address, Chain, PublicClient, Transport } from 'viem';
import { functorPolicyHookAbi } from '../abi/generated.js';
import { formatUsage, fromSpendLimit, type TokenInfo } from '../permissions/index.js';

export async function readUsage(
  client: PublicClient<Transport, Chain>,
  p: { hook: Address; account: Address; keyId: bigint; tokens: Record<string, TokenInfo> },
) {
  const [[limits, used, resetsAt], [rateUsed, rateMax]] = await Promise.all([
    client.readContract({ address: p.hook, abi: functorPolicyHookAbi, functionName: 'spendUsage', args: [p.account, p.keyId] }),
    client.readContract({ address: p.hook, abi: functorPolicyHookAbi, functionName: 'rateUsage', args: [p.account, p.keyId] }),
  ]);
  const spends = limits.map((l, i) => {
    const spend = fromSpendLimit(l, i);
    const token = p.tokens[spend.token === 'native' ? 'native' : spend.token.toLowerCase()];
    return {
      spend,
      used: used[i]!,
      resetsAt: Number(resetsAt[i]!),
      text: token ? formatUsage(used[i]!, spend.limit, token, spend.period, { resetsAt: Number(resetsAt[i]!) || undefined }) : undefined,
    };
  });
  return { spends, rate: rateMax === 0n ? undefined : { used: rateUsed, max: rateMax } };
}
