// Locks the wallet (the secret leaves memory); pages hear accountsChanged with no account.
import { uiHandler } from '../uiHandler.js';

export const walletLock = uiHandler('wallet:lock', {
  async handle(ctx, req) {
    const r = await ctx.wallet.handle(req);
    if (r.ok) ctx.deps.emit('*', 'accountsChanged', []);
    return r;
  },
});
