// Creates the vault from a private key or recovery phrase the user typed, and unlocks it.
import { uiHandler } from '../uiHandler.js';

export const walletImport = uiHandler('wallet:import', { handle: (ctx, req) => ctx.wallet.handle(req) });
