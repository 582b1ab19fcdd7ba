// The service worker: the only place that will hold key material. For now it answers the
// provider's read-only methods; every other method gets 4200 (unsupported), bad input -32602.
import { handleRpc } from '@/lib/provider/handleRpc';

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    handleRpc(message, { senderUrl: sender.url }).then(sendResponse);
    return true; // answer asynchronously
  });
});
