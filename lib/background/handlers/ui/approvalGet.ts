// What an approval window shows for its request (approvalView.ts works it out).
import { approvalView } from '../../approvalView.js';
import { ok, refuse, uiHandler } from '../uiHandler.js';

export const approvalGet = uiHandler('approval:get', {
  async handle(ctx, req) {
    const a = await ctx.approvals.get(req.id);
    if (!a) return refuse('This request is gone (it was answered or expired)');
    return ok(req.type, { view: await approvalView(ctx, a) });
  },
});
