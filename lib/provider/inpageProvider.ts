// The EIP-1193 provider the page sees, announced with EIP-6963 (and as window.ethereum when no
// other wallet claims it). It only forwards requests through window.postMessage to the relay.
import { InvalidRequestRpcError, ProviderDisconnectedError } from 'viem';
import { RELAY_TARGET_BACKGROUND, RELAY_TARGET_PAGE, relayEventSchema, rpcResponseSchema } from './messages.js';

export const PROVIDER_INFO = {
  uuid: '6f1f3c5e-2d1b-4c8e-9a7f-f0c7a1d2e3b4',
  name: 'Functor',
  rdns: 'xyz.functor.wallet',
  icon: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAzMiAzMiI+PHJlY3Qgd2lkdGg9IjMyIiBoZWlnaHQ9IjMyIiByeD0iOCIgZmlsbD0iIzExMTgyNyIvPjx0ZXh0IHg9IjE2IiB5PSIyMiIgZm9udC1zaXplPSIxOCIgZmlsbD0iI2ZmZiIgdGV4dC1hbmNob3I9Im1pZGRsZSIgZm9udC1mYW1pbHk9InNhbnMtc2VyaWYiPkY8L3RleHQ+PC9zdmc+',
} as const;

export class ProviderRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export function createInpageProvider(win: Window) {
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  let counter = 0;

  win.addEventListener('message', (event) => {
    if (event.source !== win) return;
    const ev = relayEventSchema.safeParse(event.data);
    if (ev.success) {
      for (const l of listeners.get(ev.data.event) ?? []) {
        try {
          l(ev.data.data);
        } catch {
          // A dapp's listener that throws must not stop the others.
        }
      }
      return;
    }
    if (event.data?.target !== RELAY_TARGET_PAGE) return;
    const entry = pending.get(event.data.id);
    if (!entry) return;
    pending.delete(event.data.id);
    const res = rpcResponseSchema.safeParse(event.data.response);
    if (!res.success) return entry.reject(new ProviderRpcError(ProviderDisconnectedError.code, 'The wallet did not answer'));
    if ('error' in res.data) return entry.reject(new ProviderRpcError(res.data.error.code, res.data.error.message, res.data.error.data));
    entry.resolve(res.data.result);
  });

  const provider = Object.freeze({
    isFunctor: true,
    request(args: { method: string; params?: unknown }): Promise<unknown> {
      if (typeof args !== 'object' || args === null || typeof args.method !== 'string') {
        return Promise.reject(new ProviderRpcError(InvalidRequestRpcError.code, 'Invalid request: expected { method, params? }'));
      }
      const id = `${Date.now().toString(36)}-${(counter++).toString(36)}`;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        win.postMessage({ target: RELAY_TARGET_BACKGROUND, id, method: args.method, params: args.params }, win.location.origin);
      });
    },
    /** EIP-1193 events: accountsChanged, chainChanged. */
    on(event: string, listener: (data: unknown) => void) {
      if (typeof event === 'string' && typeof listener === 'function') {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
      }
      return provider;
    },
    removeListener(event: string, listener: (data: unknown) => void) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  });

  const announce = () => win.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info: PROVIDER_INFO, provider }) }));
  win.addEventListener('eip6963:requestProvider', announce);
  announce();
  if (!(win as unknown as { ethereum?: unknown }).ethereum) {
    Object.defineProperty(win, 'ethereum', { value: provider, configurable: true });
  }
  return provider;
}
