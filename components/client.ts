// The one typed `call` every screen uses to talk to the background (lib/protocol/ui.ts says what
// each message answers). Bigints cross the JSON of extension messaging here, and only here.
import { fromJsonSafe, toJsonSafe } from '@/lib/protocol/jsonSafe';
import type { Call, UiFailure } from '@/lib/protocol/ui';

export type { Call } from '@/lib/protocol/ui';

/** How a message reaches the background: browser.runtime.sendMessage in the extension, a fake in tests. */
export type Transport = (message: unknown) => Promise<unknown>;

const NO_ANSWER: UiFailure = { ok: false, error: 'The wallet did not answer' };

export function createCall(transport: Transport): Call {
  return async (message) => {
    const raw = await transport(toJsonSafe(message));
    if (typeof raw !== 'object' || raw === null || typeof (raw as { ok?: unknown }).ok !== 'boolean') return NO_ANSWER;
    // The background builds its answers against the same contract (uiRpc.ts checks each one).
    return fromJsonSafe(raw);
  };
}
