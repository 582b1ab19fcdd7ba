// The user's answer in an approval window (approved/decide.ts carries it out). Not gated on
// unlock: rejecting needs no key; approving asks for it there.
import { decide } from '../../approved/decide.js';
import { uiHandler } from '../uiHandler.js';

export const approvalDecide = uiHandler('approval:decide', {
  handle: (ctx, req) => decide(ctx, req.decision),
});
