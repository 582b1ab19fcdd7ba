// Argument conditions onchain (issue 20), on the three account kinds through the real bundler: a key
// that may pay only listed payees, at most an amount per call. A leaked key paying itself is refused
// in validation, in words; the policy reads back with its conditions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { fromPolicies } from '../../lib/permissions/codec.js';
import { describeRefusal } from '../../lib/permissions/refusal.js';
import { addressWord, parsePermission, uintWord, type Permission } from '../../lib/permissions/types.js';
import { functorPolicyHookAbi } from '../../lib/abi/generated.js';
import { setUpWorld, USDC, type World } from './harness.js';

let w: World;
beforeAll(async () => {
  w = await setUpWorld();
});
afterAll(async () => {
  await w?.devnet.stop();
});

describe.each(ACCOUNT_KINDS)('%s account', (kind: AccountKind) => {
  it('pays only the listed payee, at most 30 USDC a call; a stranger or more is refused in validation, in words', async () => {
    const o = await w.ownerWithFunctor(kind, USDC(100));
    const agent = w.newAgent();
    const payee = w.newAgent().address;
    const base = await w.usdcPermission(kind);
    const permission: Permission = {
      ...base,
      calls: [
        {
          ...base.calls[0]!,
          args: [
            { arg: 0, op: 'oneOf', values: [addressWord(payee)] },
            { arg: 1, op: 'atMost', values: [uintWord(USDC(30))] },
          ],
        },
      ],
    };
    const keyId = await w.grantKey(o, `payee-${kind}`, agent.address, permission);
    const api = await w.agentClient(kind, o.account.address, keyId, agent);

    expect((await api.send([w.transfer(payee, USDC(30))])).ok).toBe(true);
    expect(await w.usdcBalance(payee)).toBe(USDC(30));

    const toSelf = await api.send([w.transfer(agent.address, USDC(1))]);
    expect(toSelf.ok).toBe(false);
    if (toSelf.ok) return;
    // (Safe7579 hides the reason: reasonOf asks the hook's own checks from chain state there)
    const why = await w.reasonOf(toSelf, api.context, [w.transfer(agent.address, USDC(1))]);
    expect(why).toMatchObject({ error: 'ArgumentNotAllowed', stage: 'validation' });
    expect(describeRefusal(why)).toBe(`recipient ${agent.address.toLowerCase()} is not one this key may pay`);
    expect(await w.usdcBalance(agent.address)).toBe(0n);

    const tooMuch = await api.send([w.transfer(payee, USDC(31))]);
    expect((await w.reasonOf(tooMuch, api.context, [w.transfer(payee, USDC(31))])).error).toBe('ArgumentNotAllowed');

    const raw = await w.pub.readContract({
      address: w.c.functor.policyHook,
      abi: functorPolicyHookAbi,
      functionName: 'policiesOf',
      args: [o.account.address, keyId],
    });
    expect(fromPolicies(raw, 1n).calls).toStrictEqual(parsePermission(permission).calls);
  });
});
