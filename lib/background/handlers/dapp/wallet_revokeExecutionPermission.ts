import * as schema from '../../../protocol/rpc/wallet_revokeExecutionPermission.js';
import { invalidParams } from '../../../protocol/errors.js';
import { grantGroup, revokeGrant } from '../../grants.js';
import { viaApproval } from '../../viaApproval.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_revokeExecutionPermission = dappHandler({
  schema,
  handle: async (ctx, { permissionContext }, req) => {
    const grants = await ctx.state.grants.read();
    // Origin isolation: a site can only name its own grants; anything else is unknown to it.
    const grant = grants.find((g) => g.origin === req.origin && g.contexts.some((c) => c.toLowerCase() === permissionContext.toLowerCase()));
    if (!grant) throw invalidParams('permissionContext: no permission granted to this site has this context');
    // Revoked on every chain the approval granted it on: nothing to do. (Revoked on some only, after
    // a chain failed: this revokes the rest.)
    if (grantGroup(grants, grant).every((g) => g.revokedAt !== undefined)) return {};
    // Locked, the owner's key is not here to sign: the user unlocks in the window and approves.
    if (!(await ctx.isUnlocked())) return viaApproval<Record<never, never>>(ctx, 'revoke', 'wallet_revokeExecutionPermission', { permissionContext }, req);
    await revokeGrant(ctx, grant);
    return {};
  },
});
