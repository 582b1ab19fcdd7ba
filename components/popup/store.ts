// The popup's state in one zustand store: the wallet's status, networks, connections and waiting
// requests (the background's `ui:overview`), the phrase shown once after creation, the last error.
// `send` is injected, so the store runs against the real background or a fake in tests.
import { createStore } from 'zustand/vanilla';
import type { WalletRequest, WalletResponse, WalletStatus } from '@/lib/wallet/messages';
import type { ActiveNetwork, NetworkSummary } from './NetworksView';
import type { Unreadable } from './UnreadableBanner';

export type Send = (m: unknown) => Promise<Record<string, unknown>>;

export type Overview = {
  status: WalletStatus;
  networks: NetworkSummary[];
  active?: ActiveNetwork;
  connections: Record<string, { accounts: string[] }>;
  pending: { id: string; origin: string; kind: string }[];
  /** Stored entries the background could not read (kept aside, not lost). */
  unreadable?: Unreadable[];
};

export type PopupState = {
  overview?: Overview;
  phrase?: string;
  error?: string;
  refresh(): Promise<void>;
  /** A wallet operation (create, import, unlock, lock): its error shown, the overview refreshed. */
  run(req: WalletRequest): Promise<WalletResponse>;
  dismissPhrase(): void;
};

export function createPopupStore(send: Send) {
  return createStore<PopupState>()((set, get) => ({
    async refresh() {
      const r = await send({ type: 'ui:overview' });
      if (r.ok) set({ overview: r as unknown as Overview });
      else set({ error: String(r.error) });
    },
    async run(req) {
      set({ error: undefined });
      const r = (await send(req)) as unknown as WalletResponse;
      if (!r.ok) set({ error: r.error });
      else if (r.mnemonic) set({ phrase: r.mnemonic });
      await get().refresh();
      return r;
    },
    dismissPhrase: () => set({ phrase: undefined }),
  }));
}
