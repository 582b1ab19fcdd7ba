import { defineConfig } from 'wxt';
import tailwindcss from '@tailwindcss/vite';

// The Functor extension (MV3). Key material lives in the background only; the page talks to it
// through the inpage provider (MAIN world) and the content relay (ISOLATED world).
// WXT_FUNCTOR_DEVNET_URL (read in the background) is where the default network's JSON is served
// (devnet/main.ts; default http://127.0.0.1:8549/devnet.json). FUNCTOR_OUT_DIR lets the e2e suite
// build its own copy without touching the one `npm start` built.
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  outDir: process.env.FUNCTOR_OUT_DIR ?? '.output',
  vite: () => ({ plugins: [tailwindcss()] }),
  manifest: {
    name: 'Functor',
    description: 'Scoped, revocable, chain-enforced power for agents over your smart accounts.',
    permissions: ['storage', 'alarms', 'tabs', 'notifications'],
    // The wallet talks to any chain RPC and bundler the user adds (and to the local devnet).
    host_permissions: ['<all_urls>'],
    action: { default_title: 'Functor', default_icon: { 128: '/icon.png' } },
    icons: { 128: '/icon.png' },
  },
});
