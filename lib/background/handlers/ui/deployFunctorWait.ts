// Waits for the operation ui:deployFunctor sent, then checks Functor answers there.
import { wordsOf } from '../../../protocol/errors.js';
import { awaitFunctorDeploy } from '../../deployFunctor.js';
import { ok, refuse, uiHandler } from '../uiHandler.js';

export const deployFunctorWait = uiHandler('ui:deployFunctorWait', {
  requiresUnlock: true,
  async handle(ctx, req) {
    try {
      return ok(req.type, await awaitFunctorDeploy(ctx, req.userOpHash));
    } catch (e) {
      return refuse(e instanceof Error ? wordsOf(e) : String(e));
    }
  },
});
