// What a popup message's handler is: its message type (lib/protocol/ui.ts), the gates the
// dispatcher (uiRpc.ts) checks before it runs, and the work, answering what the contract says the
// type answers.
import type { UiAnswer, UiRequest, UiResults } from '../../protocol/ui.js';
import type { BackgroundContext } from '../context.js';

export type UiType = UiRequest['type'];

export interface UiHandler<T extends UiType = UiType> {
  /** Refused with "The wallet is locked" before the handler runs: it needs the owner's key or accounts. */
  requiresUnlock?: true;
  handle(ctx: BackgroundContext, req: Extract<UiRequest, { type: T }>): Promise<UiAnswer<T>>;
}

export const uiHandler = <T extends UiType>(_type: T, h: UiHandler<T>): UiHandler<T> => h;

/** A success answer, checked against what the contract says `type` answers. */
export const ok = <T extends keyof UiResults>(_type: T, fields: UiResults[T]) => ({ ok: true as const, ...fields });
/** A refusal, in words for the user. */
export const refuse = (error: string) => ({ ok: false as const, error });
