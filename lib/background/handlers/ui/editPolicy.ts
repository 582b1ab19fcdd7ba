// Changes a key's policy on the accounts named, without resetting its counters.
import { getAddress } from 'viem';
import { parsePermission } from '../../../permissions/index.js';
import { fromJsonSafe } from '../../../protocol/jsonSafe.js';
import { editPolicy as edit } from '../../keys.js';
import { ok, uiHandler } from '../uiHandler.js';

export const editPolicy = uiHandler('ui:editPolicy', {
  requiresUnlock: true,
  async handle(ctx, req) {
    const permission = parsePermission(fromJsonSafe(req.permission));
    await edit(
      ctx,
      BigInt(req.keyId),
      permission,
      req.accounts.map((a) => getAddress(a)),
      req.networkId,
    );
    return ok(req.type, {});
  },
});
