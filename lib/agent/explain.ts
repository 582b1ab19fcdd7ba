// When an account does not pass the hook's revert data through (Safe7579 turns it into
// `ExecutionFailed()`), the reason is worked out from the chain: the key's state, its policies and
// its window usage, against the calls that were refused. Same rules as FunctorPolicyHook.
import {
  type Address,
  BaseError,
  type Chain,
  ContractFunctionRevertedError,
  decodeFunctionData,
  erc20Abi,
  parseAbi,
  type PublicClient,
  type Transport,
  zeroAddress,
} from 'viem';
import { functorPolicyHookAbi } from '../abi/generated.js';
import { grantStateCode } from '../keystore/read.js';
import type { Call } from '../functorMode.js';
import { decodeRefusal, type Refusal } from '../permissions/refusal.js';

const allowanceAbi = parseAbi(['function increaseAllowance(address spender, uint256 added) returns (bool)']);

function spendOf(call: Call, token: Address, account: Address): bigint {
  let spent = 0n;
  if (token === zeroAddress) return call.value ?? 0n;
  if (call.to.toLowerCase() !== token.toLowerCase() || !call.data) return 0n;
  try {
    const d = decodeFunctionData({ abi: [...erc20Abi, ...allowanceAbi], data: call.data });
    if (d.functionName === 'transfer' || d.functionName === 'approve' || d.functionName === 'increaseAllowance') spent = d.args[1] as bigint;
    if (d.functionName === 'transferFrom' && (d.args[0] as Address).toLowerCase() === account.toLowerCase()) spent = d.args[2] as bigint;
  } catch {
    // not an ERC-20 call: the hook refuses it on a limited token
  }
  return spent;
}

export async function explainRefusal(
  client: PublicClient<Transport, Chain>,
  p: { keyStore: Address; hook: Address; account: Address; keyId: bigint },
  calls: Call[],
): Promise<Refusal | undefined> {
  const raw = 'worked out from chain state';
  // Validation's first check: the module installed on the account (its hook role's onInstall ran;
  // either role's uninstall clears it). Without it every call would read as not allowed.
  const installed = await client.readContract({ address: p.hook, abi: functorPolicyHookAbi, functionName: 'isInitialized', args: [p.account] });
  if (!installed) return { error: 'NotInstalled', args: [p.account], stage: 'validation', raw };
  const state = await grantStateCode(client, p.keyStore, p.keyId, p.account);
  if (state !== 1) return { error: 'KeyNotActive', args: [p.keyId, state], stage: 'validation', raw };
  for (const c of calls) {
    // The hook's own static checks of the call (allowed, not forbidden, argument conditions), which
    // answer with the error validation gave.
    const refused = await client
      .readContract({ address: p.hook, abi: functorPolicyHookAbi, functionName: 'explainCall', args: [p.account, p.keyId, c.to, c.data ?? '0x'] })
      .then(
        () => undefined,
        (e: unknown): Refusal => {
          // viem has decoded the hook's error with its ABI already
          const reverted = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : null;
          const d = reverted instanceof ContractFunctionRevertedError ? reverted.data : undefined;
          return d ? { error: d.errorName, args: d.args ?? [], stage: 'validation', raw } : decodeRefusal(e);
        },
      );
    if (refused) return { ...refused, stage: 'validation', raw };
  }
  const [limits, used] = await client.readContract({ address: p.hook, abi: functorPolicyHookAbi, functionName: 'spendUsage', args: [p.account, p.keyId] });
  for (let i = 0; i < limits.length; i++) {
    const l = limits[i]!;
    const asked = calls.reduce((n, c) => n + spendOf(c, l.token, p.account), 0n);
    if (used[i]! + asked > l.limit) return { error: 'SpendLimitExceeded', args: [p.keyId, l.token, used[i]!, asked, l.limit], stage: 'execution', raw };
  }
  const [rateUsed, rateMax] = await client.readContract({ address: p.hook, abi: functorPolicyHookAbi, functionName: 'rateUsage', args: [p.account, p.keyId] });
  if (rateMax !== 0n && rateUsed + 1n > rateMax) return { error: 'RateLimitExceeded', args: [p.keyId, rateUsed, rateMax], stage: 'execution', raw };
  return undefined;
}
