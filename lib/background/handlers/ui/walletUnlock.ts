// Unlocks the vault with the password.
import { uiHandler } from '../uiHandler.js';

export const walletUnlock = uiHandler('wallet:unlock', { handle: (ctx, req) => ctx.wallet.handle(req) });
