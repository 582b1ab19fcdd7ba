// The wallet's own messages (wallet:create, import, unlock, lock, status): the wallet service
// (lib/wallet) parses and answers each; pages hear accountsChanged with none when it locks.
import { walletRequestSchema, type UiAnswer, type UiMessageType } from '../../../protocol/ui.js';
import type { BackgroundContext } from '../../context.js';

export const isWalletMessage = (m: unknown) => typeof m === 'object' && m !== null && String((m as { type?: unknown }).type).startsWith('wallet:');

export async function walletMessage(ctx: BackgroundContext, message: unknown): Promise<UiAnswer<UiMessageType>> {
  const r = await ctx.wallet.handle(message);
  if (r.ok && walletRequestSchema.safeParse(message).data?.type === 'wallet:lock') ctx.deps.emit('*', 'accountsChanged', []);
  return r;
}
