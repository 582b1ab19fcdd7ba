// Creates the vault from a new recovery phrase (shown once, in the answer) and unlocks it.
import { uiHandler } from '../uiHandler.js';

export const walletCreate = uiHandler('wallet:create', { handle: (ctx, req) => ctx.wallet.handle(req) });
