// Messages from the extension's own pages (popup and approval windows) to the background. The
// background accepts them only from its own pages (entrypoints/background.ts checks the sender).
// Each message is parsed against the contract (lib/protocol/ui.ts), looked up in one table
// (handlers/ui/), its gates checked, and any failure answered in words.
import { wordsOf } from '../protocol/errors.js';
import { toJsonSafe } from '../protocol/jsonSafe.js';
import { uiRequestSchema, type UiAnswer, type UiMessageType } from '../protocol/ui.js';
import type { BackgroundContext } from './context.js';
import { uiHandlers } from './handlers/ui/index.js';
import type { UiHandler } from './handlers/uiHandler.js';

export { uiRequestSchema, type UiRequest } from '../protocol/ui.js';
export type UiResponse = UiAnswer<UiMessageType>;

export function isUiMessage(m: unknown): boolean {
  const t = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
  return typeof t === 'string' && (t.startsWith('ui:') || t.startsWith('approval:') || t.startsWith('wallet:'));
}

export function createUiRpc(ctx: BackgroundContext) {
  /** The answer to a page of the extension, bigints made JSON-safe here and only here. */
  async function handle(message: unknown): Promise<UiResponse> {
    return toJsonSafe(await answer(message)) as UiResponse;
  }

  async function answer(message: unknown): Promise<UiResponse> {
    const parsed = uiRequestSchema.safeParse(message);
    if (!parsed.success) return { ok: false, error: `Invalid request: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}` };
    const req = parsed.data;
    const handler = uiHandlers[req.type] as UiHandler;
    try {
      if (handler.requiresUnlock && !(await ctx.isUnlocked())) return { ok: false, error: 'The wallet is locked' };
      return await handler.handle(ctx, req);
    } catch (e) {
      return { ok: false, error: wordsOf(e) };
    }
  }
  return { handle };
}
