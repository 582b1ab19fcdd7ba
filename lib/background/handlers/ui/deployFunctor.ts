// Deploys Functor on the active network from one of the owner's accounts (deployFunctor.ts): sends
// the operation and answers at once, so the popup can show it sent before it lands.
// A failure is answered in words by the dispatcher (uiRpc.ts), as for every handler.
import { sendFunctorDeploy } from '../../deployFunctor.js';
import { ok, uiHandler } from '../uiHandler.js';

export const deployFunctor = uiHandler('ui:deployFunctor', {
  requiresUnlock: true,
  handle: async (ctx, req) => ok(req.type, await sendFunctorDeploy(ctx, req.account)),
});
