// A dapp asking again for the same agent: the existing key gets the new session key as its signer
// (rotateSigner, from the account that controls it) and the policy as now approved, so its
// counters carry over; the answer carries the same keyId.
import { rotateSignerCall } from '../../keystore/calls.js';
import { ecdsaSignerId } from '../../keystore/ids.js';
import { encodeSetPolicies } from '../../permissions/index.js';
import { assertNoMachineryTargets } from '../../accounts/machinery.js';
import { readLaneSequence } from '../../accounts/nonceKey.js';
import type { WalletNetwork } from '../../networks/networks.js';
import type { Approval } from '../approvals.js';
import { contextOfAnswer, type PermissionAsk } from '../asks.js';
import type { BackgroundContext } from '../context.js';
import { grantContext, ownerOp, type OnStep } from '../grant.js';
import { KIND_NAMES, type OwnerAccount } from '../accounts.js';
import { renewableGrants } from '../grants.js';
import type { Progress } from './runner.js';

export async function renewKey(ctx: BackgroundContext, a: Approval, net: WalletNetwork, translations: PermissionAsk[], keyId: string, progress: Progress) {
  if (translations.length !== 1) throw new Error('Only a single permission can renew an existing key');
  const t = translations[0]!;
  const grants = await ctx.state.grants.read();
  const grant = (await renewableGrants(ctx, a.origin, net.id, t.type)).find((g) => g.keyId === keyId);
  if (!grant) throw new Error("That key is not this site's, or it was revoked");
  const owned = await ctx.ownerAccounts(net);
  const controller = owned.find((o) => o.address === grant.controller);
  if (!controller) throw new Error('The account that registered this key is not in this wallet');
  const f = net.addresses.functor;
  const client = ctx.client(net);
  const mine = grant.accounts.flatMap((acc) => owned.filter((o) => o.address === acc.address));
  await assertNoMachineryTargets(client, mine, t.permission);
  // The renewed grant allows maxOps more ops from where each account's lane is now.
  const setPoliciesOn = async (a: OwnerAccount) => {
    const sequence = await readLaneSequence(client, {
      entryPoint: net.addresses.entryPoint,
      account: a.address,
      module: f.policyHook,
      keyId: BigInt(keyId),
      kind: a.kind,
    });
    return { to: f.policyHook, data: encodeSetPolicies(BigInt(keyId), t.permission, sequence) };
  };
  // Each operation's steps for the window's stepper, as a new grant's.
  const stepOf =
    (label: string): OnStep =>
    (state, detail) =>
      ctx.approvals.update(a.id, { step: { chain: net.name, label, state, ...detail } });
  await progress('Giving the key its new session key (counters carry over)…');
  await ownerOp(
    net,
    controller,
    [rotateSignerCall(f.keyStore, BigInt(keyId), ecdsaSignerId(grant.signer), ecdsaSignerId(t.to)), await setPoliciesOn(controller)],
    'Renewing the key',
    stepOf(`${KIND_NAMES[controller.kind]}: give the key its new session key`),
  );
  for (const own of mine.filter((x) => x.address !== controller.address)) {
    await ownerOp(net, own, [await setPoliciesOn(own)], 'Setting the policy', stepOf(`${KIND_NAMES[own.kind]}: set the policy`));
  }
  const responses = grant.accounts.map((acc) => t.respond(grantContext(net, acc, BigInt(keyId))));
  const i = grants.findIndex((g) => g === grants.find((x) => x.keyId === keyId && x.networkId === net.id));
  grants[i] = { ...grant, signer: t.to, responses: responses as unknown as Record<string, unknown>[], contexts: responses.map(contextOfAnswer) };
  await ctx.state.grants.write(grants);
  await progress('Renewed: the key has its new session key.');
  return responses[0];
}
