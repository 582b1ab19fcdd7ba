// An approved wallet_revokeExecutionPermission (asked while the wallet was locked): the grant's
// key is revoked on every account.
import type { Hex } from 'viem';
import { revokeGrant } from '../grants.js';
import type { Runner } from './runner.js';

export const runRevoke: Runner = async (ctx, a, _, progress) => {
  const { permissionContext } = a.params as { permissionContext: Hex };
  const grant = (await ctx.state.grants.read()).find((g) => g.origin === a.origin && g.contexts.includes(permissionContext));
  if (!grant) throw new Error('That permission is gone');
  await progress('Revoking the key on every account…');
  await revokeGrant(ctx, grant, progress);
  return {};
};
