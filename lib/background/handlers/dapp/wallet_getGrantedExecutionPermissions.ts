import type { z } from 'zod';
import * as schema from '../../../protocol/rpc/wallet_getGrantedExecutionPermissions.js';
import { dappHandler } from '../dappHandler.js';

export const wallet_getGrantedExecutionPermissions = dappHandler({
  schema,
  handle: async (ctx, _, { origin }) => {
    const live = (await ctx.state.grants.read()).filter((g) => g.origin === origin && g.revokedAt === undefined);
    // The answer elements as they were given (a grant record stores them as its method built them).
    return live.flatMap((g) => g.responses) as z.input<typeof schema.Response>;
  },
});
