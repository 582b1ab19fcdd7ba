// A key that retires itself (issue 20): its session signer signs a surrender, a stranger with ETH
// submits it, and the key is dead on every account: the agent's next op is refused in validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { readKey } from '../../lib/keystore/read.js';
import { signSurrender } from '../../lib/keystore/surrender.js';
import { setUpWorld, USDC, type World } from './harness.js';

let w: World;
beforeAll(async () => {
  w = await setUpWorld();
});
afterAll(async () => {
  await w?.devnet.stop();
});

describe.each(ACCOUNT_KINDS)('%s account', (kind: AccountKind) => {
  it('the signer surrenders its key through a stranger; the agent is refused after', async () => {
    const o = await w.ownerWithFunctor(kind, USDC(100));
    const agent = w.newAgent();
    const keyId = await w.grantKey(o, `surrender-${kind}`, agent.address, await w.usdcPermission(kind));
    const api = await w.agentClient(kind, o.account.address, keyId, agent);
    expect((await api.send([w.transfer(agent.address, USDC(1))])).ok).toBe(true);

    const s = await signSurrender({ chainId: w.c.chainId, keyStore: w.c.functor.keyStore, keyId, signer: agent });
    const stranger = createWalletClient({ chain: w.net.chain, transport: http(w.c.rpcUrl), account: privateKeyToAccount(w.c.owners[2]!.privateKey) });
    const receipt = await w.pub.waitForTransactionReceipt({ hash: await stranger.sendTransaction(s.call) });
    expect(receipt.status).toBe('success');
    expect((await readKey(w.pub, w.c.functor.keyStore, keyId)).revoked).toBe(true);

    const calls = [w.transfer(agent.address, USDC(1))];
    const after = await api.send(calls);
    expect(after.ok).toBe(false);
    // (Safe7579 hides the reason: reasonOf works it out from chain state there)
    expect((await w.reasonOf(after, api.context, calls)).error).toBe('KeyNotActive');
  });
});
