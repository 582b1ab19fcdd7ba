// The EIP-1193 provider, in the page's MAIN world, announced with EIP-6963. It holds nothing: every
// request goes to the background through the content relay.
import { createInpageProvider } from '@/lib/provider/inpageProvider';

export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    createInpageProvider(window);
  },
});
