// The background's logic, with storage, windows and page events injected: the service worker
// (entrypoints/background.ts) wires browser APIs in; unit tests wire in memory fakes.
import { createContext, type BackgroundDeps } from './context.js';
import { createDappRpc } from './dappRpc.js';
import { createUiRpc, isUiMessage } from './uiRpc.js';

export function createBackground(deps: BackgroundDeps) {
  const ctx = createContext(deps);
  const dapp = createDappRpc(ctx);
  const ui = createUiRpc(ctx);
  return { ctx, handleDapp: dapp.handle, handleUi: ui.handle, isUiMessage, reject: (id: string) => ctx.approvals.reject(id) };
}
export type { BackgroundDeps } from './context.js';
export { memoryStore } from './store.js';
