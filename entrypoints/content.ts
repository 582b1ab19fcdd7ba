// ISOLATED-world relay between the page's provider and the background, and nothing else. When
// the background goes away mid-request (MV3 stops service workers), the request is sent again
// marked `retry`, so a request waiting on an approval gets that approval's answer.
import { providerDisconnected, toWireError } from '@/lib/protocol/errors';
import { RELAY_TARGET_BACKGROUND, RELAY_TARGET_PAGE, relayEventSchema, relayRequestSchema } from '@/lib/provider/messages';

const RETRIES = 3;

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  main() {
    const answer = (id: string, response: unknown) => window.postMessage({ target: RELAY_TARGET_PAGE, id, response }, window.location.origin);

    window.addEventListener('message', async (event) => {
      if (event.source !== window) return;
      const parsed = relayRequestSchema.safeParse(event.data);
      if (!parsed.success || parsed.data.target !== RELAY_TARGET_BACKGROUND) return;
      const { id, method, params } = parsed.data;
      for (let attempt = 0; attempt <= RETRIES; attempt++) {
        try {
          const response = await browser.runtime.sendMessage({ target: RELAY_TARGET_BACKGROUND, id, method, params, retry: attempt > 0 });
          return answer(id, response);
        } catch {
          await new Promise((r) => setTimeout(r, 250 * (attempt + 1)));
        }
      }
      answer(id, { error: toWireError(providerDisconnected('The wallet is not answering: try again')) });
    });

    browser.runtime.onMessage.addListener((message) => {
      const e = relayEventSchema.safeParse(message);
      if (e.success) window.postMessage(e.data, window.location.origin);
    });
  },
});
