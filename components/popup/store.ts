// The popup's state in one zustand store: the wallet's status, networks, connections and waiting
// requests (the background's `ui:overview`), the phrase shown once after creation, the last error.
// `send` is injected, so the store runs against the real background or a fake in tests.
import { createStore } from 'zustand/vanilla';
import type { UiAnswer, WalletStatus } from '@/lib/protocol/ui';
import type { Overview } from '@/lib/protocol/views';
import type { WalletRequest } from '@/lib/wallet/messages';
import type { Call } from '../client';

export type { Overview };

export type PopupState = {
  overview?: Overview;
  phrase?: string;
  error?: string;
  refresh(): Promise<void>;
  /** A wallet operation (create, import, unlock, lock): its error shown, the overview refreshed. */
  run(req: WalletRequest): Promise<UiAnswer<WalletRequest['type']>>;
  dismissPhrase(): void;
};

export function createPopupStore(send: Call) {
  return createStore<PopupState>()((set, get) => ({
    async refresh() {
      const r = await send({ type: 'ui:overview' });
      if (r.ok) set({ overview: r });
      else set({ error: String(r.error) });
    },
    async run(req) {
      set({ error: undefined });
      const r = await send(req);
      if (!r.ok) set({ error: r.error });
      else if (r.mnemonic) set({ phrase: r.mnemonic });
      await get().refresh();
      return r;
    },
    dismissPhrase: () => set({ phrase: undefined }),
  }));
}
