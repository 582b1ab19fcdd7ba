// The user's answer to an approval window. Rejecting answers the dapp 4001; approving claims the
// request (once), runs it in the background (run.ts) and stores its answer, success or a clear
// error: the window shows it and the dapp gets it.
import { BaseError } from 'viem';
import { PermissionRequestError } from '../../erc7715/errors.js';
import { PermissionError } from '../../permissions/errors.js';
import { internalError, isWalletError, toWireError } from '../../protocol/errors.js';
import type { Decision } from '../../protocol/ui.js';
import { VaultError } from '../../vault/errors.js';
import type { BackgroundContext } from '../context.js';
import { reasonOf } from '../grant.js';
import { run } from './run.js';

export async function decide(ctx: BackgroundContext, d: Decision): Promise<{ ok: true } | { ok: false; error: string }> {
  const a = await ctx.approvals.get(d.id);
  if (!a) return { ok: false, error: 'This request is gone (it was answered or expired)' };
  if (!d.approve) {
    await ctx.approvals.reject(d.id);
    return { ok: true };
  }
  if (!(await ctx.isUnlocked())) return { ok: false, error: 'Unlock the wallet first' };
  const claimed = await ctx.approvals.claim(d.id);
  if (!claimed) return { ok: false, error: 'This request was already answered' };
  void run(ctx, claimed, d).then(
    (result) => ctx.approvals.update(d.id, { state: 'done', response: { result } }),
    async (e) => {
      // Our own errors are written for the user; viem's (a chain that stopped answering) carry the
      // request's URL and body over many lines: say in words what failed instead.
      // (the wallet's own RPC errors, e.g. "the network does not answer", are written for the user too)
      const ours = isWalletError(e) || e instanceof PermissionError || e instanceof PermissionRequestError || e instanceof VaultError;
      const net = e instanceof BaseError && !ours ? await ctx.activeNetwork().catch(() => undefined) : undefined;
      const message = isWalletError(e) ? e.cause.message : net ? reasonOf(e, net) : e instanceof Error ? e.message : String(e);
      return ctx.approvals.update(d.id, { state: 'failed', error: message, response: { error: toWireError(internalError(message)) } });
    },
  );
  return { ok: true };
}
