// ISOLATED-world relay between the page's provider and the background, and nothing else.
import { RELAY_TARGET_BACKGROUND, RELAY_TARGET_PAGE, relayRequestSchema } from '@/lib/provider/messages';

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  main() {
    window.addEventListener('message', async (event) => {
      if (event.source !== window) return;
      const parsed = relayRequestSchema.safeParse(event.data);
      if (!parsed.success || parsed.data.target !== RELAY_TARGET_BACKGROUND) return;
      const response = await browser.runtime.sendMessage({ ...parsed.data, origin: window.location.origin });
      window.postMessage({ target: RELAY_TARGET_PAGE, id: parsed.data.id, response }, window.location.origin);
    });
  },
});
