// What an approved request does, by its kind: one runner each (approved/<kind>.ts), given the
// approval as stored, the user's decision and a way to report progress to the window.
import type { Decision } from '../../protocol/ui.js';
import type { Approval, ApprovalKind } from '../approvals.js';
import type { BackgroundContext } from '../context.js';
import { runConnect } from './connect.js';
import { runPermissions } from './permissions.js';
import { runRevoke } from './revoke.js';
import type { Progress, Runner } from './runner.js';
import { runSendCalls } from './sendCalls.js';

const runners: Record<ApprovalKind, Runner> = {
  connect: runConnect,
  permissions: runPermissions,
  sendCalls: runSendCalls,
  revoke: runRevoke,
};

/** Carries out an approval; its answer (the dapp's result) or a thrown error in words. */
export function run(ctx: BackgroundContext, a: Approval, d: Decision): Promise<unknown> {
  const progress: Progress = (text) => ctx.approvals.update(a.id, { addProgress: text });
  return runners[a.kind](ctx, a, d, progress);
}
