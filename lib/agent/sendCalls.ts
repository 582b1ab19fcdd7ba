// The agent's one action: send calls as a UserOp on the granted account, wait for the receipt,
// and turn any refusal (the bundler's simulation error, or a revert in execution) into a reason.
import type { Address, Client, Hex } from 'viem';
import type { SmartAccount } from 'viem/account-abstraction';
import { readContract } from 'viem/actions';
import { functorPolicyHookAbi } from '../abi/generated.js';
import { grantStateCode } from '../keystore/read.js';
import type { smartAccountClientFor } from '../accounts/clients.js';
import type { Call } from '../functorMode.js';
import { decodeRefusal, type Refusal } from '../permissions/refusal.js';
import type { SessionContext } from '../permissions/context.js';

export type SendResult =
  { ok: true; userOpHash: Hex; transactionHash: Hex; gasUsed: bigint } | { ok: false; userOpHash?: Hex; transactionHash?: Hex; refusal: Refusal };

/**
 * Gas limits given up front skip the bundler's estimation, which is where a refusal in execution
 * is normally caught (nothing lands, nothing is paid). With them, a refused op lands and fails
 * onchain, leaving the EntryPoint's revert event in the account's audit trail.
 */
export type GasLimits = { callGasLimit: bigint; verificationGasLimit: bigint; preVerificationGas: bigint };

export async function sendCalls(
  client: ReturnType<typeof smartAccountClientFor>,
  context: SessionContext,
  calls: Call[],
  opts: { gas?: GasLimits } = {},
): Promise<SendResult> {
  // The session account (toFunctorSessionAccount) is the one place a session op is encoded, routed
  // to the key's lane and signed: this adds only the window-roll margin around it.
  const account = client.account as SmartAccount;
  let userOpHash: Hex;
  try {
    // The account gives the call gas itself where the bundler's figure would fail (callGas.ts).
    const op = await client.prepareUserOperation({ account, calls, ...opts.gas });
    // prepareUserOperation leaves the stub signature in: sign the final op with the account.
    op.signature = await account.signUserOperation(op as never);
    userOpHash = await client.sendUserOperation({ ...op, account } as never);
  } catch (err) {
    const refusal = decodeRefusal(err);
    // Safe7579 hides the hook's reason (ExecutionFailed): whether the key is still active is read back.
    const grant = refusal.error === 'ExecutionFailed' ? await grantStateOf(account.client as Client, context).catch(() => undefined) : undefined;
    return { ok: false, refusal: beforeSending(refusal, context.keyId, grant) };
  }
  const receipt = await client.waitForUserOperationReceipt({ hash: userOpHash });
  if (receipt.success) {
    return { ok: true, userOpHash, transactionHash: receipt.receipt.transactionHash, gasUsed: receipt.receipt.gasUsed };
  }
  return {
    ok: false,
    userOpHash,
    transactionHash: receipt.receipt.transactionHash,
    refusal: decodeRefusal(receipt.reason ?? 'reverted in execution'),
  };
}

/**
 * A refusal before anything was sent. A key that is not active (revoked, disabled) is refused in
 * validation once the op is signed; the KeyStore marks a revoked key in its own signers' words only,
 * so the bundler's estimate (a stub signature) meets it in simulated execution instead: the stage
 * is the signed op's. (Revoked in the same bundle after validation, the op is refused in execution
 * and comes back as a receipt, not here.)
 */
export function beforeSending(r: Refusal, keyId: bigint, grant?: number): Refusal {
  if (r.error === 'KeyNotActive') return { ...r, stage: 'validation' };
  if (grant !== undefined && grant !== 1) return { error: 'KeyNotActive', args: [keyId, grant], stage: 'validation', raw: r.raw };
  return r;
}

/** The key's grant state on the account, from the KeyStore the module names. */
async function grantStateOf(chain: Client, context: SessionContext): Promise<number> {
  const keyStore = await readContract(chain, { address: context.module, abi: functorPolicyHookAbi, functionName: 'keyStore' });
  return grantStateCode(chain, keyStore, context.keyId, context.account);
}
