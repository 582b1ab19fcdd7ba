// Deploys Functor on the active network from one of the owner's accounts (deployFunctor.ts): sends
// the operation and answers at once, so the popup can show it sent before it lands.
import { wordsOf } from '../../../protocol/errors.js';
import { sendFunctorDeploy } from '../../deployFunctor.js';
import { ok, refuse, uiHandler } from '../uiHandler.js';

export const deployFunctor = uiHandler('ui:deployFunctor', {
  requiresUnlock: true,
  async handle(ctx, req) {
    try {
      return ok(req.type, await sendFunctorDeploy(ctx, req.account));
    } catch (e) {
      return refuse(e instanceof Error ? wordsOf(e) : String(e));
    }
  },
});
