// The session account as any viem or permissionless program uses it (issue 15, part 2): no
// Functor client code, only `toFunctorSessionAccount` and the libraries' own clients, viem's
// `createBundlerClient(...).sendUserOperation({ account, calls })` and permissionless's
// `createSmartAccountClient`, on real Kernel, Nexus and Safe7579 accounts through Alto. Within the
// grant a transfer lands; over its spend limit the op is refused (the promise rejects) and moves
// nothing.
import { type Address, http } from 'viem';
import { createBundlerClient, type SmartAccount } from 'viem/account-abstraction';
import { createSmartAccountClient } from 'permissionless';
import { createPimlicoClient } from 'permissionless/clients/pimlico';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { explainRefusal } from '../../lib/agent/explain.js';
import { decodeRefusal, describeRefusal } from '../../lib/permissions/refusal.js';
import { toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import { KEYED_EXECUTION_GAS } from '../../lib/agent/callGas.js';
import { setUpWorld, USDC, type World } from './harness.js';

let w: World;
const bob = '0x000000000000000000000000000000000000b0b1' as Address;
const carol = '0x000000000000000000000000000000000000ca01' as Address;

beforeAll(async () => {
  w = await setUpWorld();
});
afterAll(async () => {
  await w?.devnet.stop();
});

describe.each(ACCOUNT_KINDS)('%s: the session as a plain viem SmartAccount', (kind: AccountKind) => {
  let session: SmartAccount;
  let keyId: bigint;
  let account: Address;
  const usdc = () => ({ [w.c.tokens.usdc.toLowerCase()]: { symbol: 'USDC', decimals: 6 } });

  /** Why a rejected op was refused: decoded from the bundler's error, or from chain state on Safe. */
  async function reasonOf(err: unknown, to: Address, amount: bigint) {
    let r = decodeRefusal(err);
    if (r.error === 'ExecutionFailed' || r.error === 'Unknown') {
      const explained = await explainRefusal(w.pub, { keyStore: w.c.functor.keyStore, hook: w.c.functor.policyHook, account, keyId }, [w.transfer(to, amount)]);
      if (explained) r = { ...explained, stage: r.stage };
    }
    return r;
  }

  // The one thing a viem user sets: fees. The grant caps the fee per gas (GasPolicy.maxFeePerGas,
  // 3x the chain's fee at grant time) and refuses an op above it in validation (GasFeeTooHigh).
  // viem's default is 2x the chain's estimate and permissionless's its own multiple: after a few
  // blocks of activity either can cross the cap. The bundler's own price is what it needs and no
  // more, so both clients take their fees from it (`userOperation.estimateFeesPerGas`), as
  // lib/accounts/clients.ts does for the agent.
  const bundlerFees = async () => (await createPimlicoClient({ transport: http(w.c.bundlerUrl) }).getUserOperationGasPrice()).fast;
  const viemBundler = () => createBundlerClient({ client: w.pub, transport: http(w.c.bundlerUrl), userOperation: { estimateFeesPerGas: bundlerFees } });
  const permissionlessClient = () =>
    createSmartAccountClient({
      account: session,
      chain: w.net.chain,
      client: w.pub,
      bundlerTransport: http(w.c.bundlerUrl),
      userOperation: { estimateFeesPerGas: bundlerFees },
    });

  beforeAll(async () => {
    const owner = await w.ownerWithFunctor(kind);
    account = owner.account.address;
    const agent = w.newAgent();
    keyId = await w.grantKey(owner, `viem-${kind}`, agent.address, await w.usdcPermission(kind));
    session = await toFunctorSessionAccount({
      client: w.pub,
      context: { kind, account, keyId, module: w.c.functor.policyHook, entryPoint: w.c.entryPoint },
      signer: agent,
    });
  });

  it("viem's createBundlerClient: a transfer within the limit lands", async () => {
    const bundler = viemBundler();
    const before = await w.usdcBalance(bob);
    const hash = await bundler.sendUserOperation({ account: session, calls: [w.transfer(bob, USDC(30))] });
    const receipt = await bundler.waitForUserOperationReceipt({ hash });
    expect(receipt.success).toBe(true);
    expect(await w.usdcBalance(bob)).toBe(before + USDC(30));
    if (kind === 'kernel') {
      // Alto would have given 18k, too little for the hook's executeUserOp path: the account's own figure, the transfer's estimate from the account and the keyed execution.
      const op = await bundler.getUserOperation({ hash });
      expect(op.userOperation.callGasLimit, 'the account set the call gas').toBeGreaterThan(KEYED_EXECUTION_GAS);
      expect(op.userOperation.callGasLimit).toBeLessThan(KEYED_EXECUTION_GAS + 100_000n);
    }
  });

  it("permissionless's createSmartAccountClient: a transfer within the limit lands", async () => {
    const client = permissionlessClient();
    const before = await w.usdcBalance(bob);
    const hash = await client.sendUserOperation({ calls: [w.transfer(bob, USDC(30))] });
    const receipt = await client.waitForUserOperationReceipt({ hash });
    expect(receipt.success).toBe(true);
    expect(await w.usdcBalance(bob)).toBe(before + USDC(30));
  });

  it("a caller's own callGasLimit wins over the account's (how a bigger Kernel call gets more)", async () => {
    const bundler = viemBundler();
    const op = await bundler.prepareUserOperation({ account: session, calls: [w.transfer(bob, USDC(1))], callGasLimit: 350_000n });
    expect(op.callGasLimit).toBe(350_000n);
  });

  it('over the limit, both clients are refused and nothing moves', async () => {
    // 60 of 100 used: 50 more is over.
    const bundler = viemBundler();
    const client = permissionlessClient();
    const before = await w.usdcBalance(carol);
    const held = await w.usdcBalance(account);
    for (const send of [
      () => bundler.sendUserOperation({ account: session, calls: [w.transfer(carol, USDC(50))] }),
      () => client.sendUserOperation({ calls: [w.transfer(carol, USDC(50))] }),
    ]) {
      const err = await send().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, 'the op was refused before it was sent').toBeDefined();
      const r = await reasonOf(err, carol, USDC(50));
      expect(r.error).toBe('SpendLimitExceeded');
      expect(describeRefusal(r, usdc())).toBe('spend limit: 60/100 USDC used in the window, asked 50');
    }
    expect(await w.usdcBalance(carol)).toBe(before);
    expect(await w.usdcBalance(account)).toBe(held);
  });

  it('the session key never signs messages for the account', async () => {
    await expect(session.signMessage({ message: 'hi' })).rejects.toThrow(/never signs/);
  });
});
