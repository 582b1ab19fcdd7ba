// The service worker: the only place that holds key material (the wallet service keeps the
// decrypted secret in memory; storage holds only the encrypted vault). Page requests arrive through
// the content relay; wallet operations only from the extension's own pages.
import { handleRpc } from '@/lib/provider/handleRpc';
import { isWalletMessage } from '@/lib/wallet/messages';
import { createWalletService } from '@/lib/wallet/walletService';

export default defineBackground(() => {
  const wallet = createWalletService({
    store: {
      get: async (key) => (await browser.storage.local.get(key))[key],
      set: (key, value) => browser.storage.local.set({ [key]: value }),
    },
  });
  const ownPage = (url?: string) => !!url && url.startsWith(browser.runtime.getURL('/'));

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (isWalletMessage(message)) {
      if (!ownPage(sender.url) || sender.tab?.url?.startsWith('http')) {
        sendResponse({ ok: false, error: 'Not allowed' });
        return false;
      }
      wallet.handle(message).then(sendResponse);
      return true;
    }
    handleRpc(message, { senderUrl: sender.url }).then(sendResponse);
    return true; // answer asynchronously
  });
});
