// The wallet's state: a vault here or not, locked or not, the owner when unlocked (lib/wallet).
import { uiHandler } from '../uiHandler.js';

export const walletStatus = uiHandler('wallet:status', { handle: (ctx, req) => ctx.wallet.handle(req) });
