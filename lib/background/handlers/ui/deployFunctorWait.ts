// Waits for the operation ui:deployFunctor sent, then checks Functor answers there.
// A failure is answered in words by the dispatcher (uiRpc.ts), as for every handler.
import { awaitFunctorDeploy } from '../../deployFunctor.js';
import { ok, uiHandler } from '../uiHandler.js';

export const deployFunctorWait = uiHandler('ui:deployFunctorWait', {
  requiresUnlock: true,
  handle: async (ctx, req) => ok(req.type, await awaitFunctorDeploy(ctx, req.userOpHash)),
});
