// A dapp request that needs the user: opens its approval window (or, for a request the relay
// repeats after a worker stop, finds the one it opened) and waits for the answer.
import { fromWireError } from '../protocol/errors.js';
import type { ApprovalKind } from './approvals.js';
import type { BackgroundContext } from './context.js';
import type { DappRequest } from './handlers/dappHandler.js';

/**
 * The approval's answer, as the method answers: `R` is its rpc Response, which approved/<kind>.ts
 * built (a stored value: its type is this promise, not a parse).
 */
export async function viaApproval<R>(ctx: BackgroundContext, kind: ApprovalKind, method: string, params: unknown, req: DappRequest): Promise<R> {
  const existing = req.retry ? await ctx.approvals.byRequest(req.origin, req.requestId) : undefined;
  const a = existing ?? (await ctx.approvals.open({ origin: req.origin, requestId: req.requestId, kind, method, params }));
  const answer = await ctx.approvals.awaitAnswer(a.id);
  if ('error' in answer) throw fromWireError(answer.error);
  return answer.result as R;
}
