import { defineConfig } from 'wxt';
import tailwindcss from '@tailwindcss/vite';

// The Functor extension (MV3). Key material lives in the background only; the page talks to it
// through the inpage provider (MAIN world) and the content relay (ISOLATED world).
export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  vite: () => ({ plugins: [tailwindcss()] }),
  manifest: {
    name: 'Functor',
    description: 'Scoped, revocable, chain-enforced power for agents over your smart accounts.',
    permissions: ['storage', 'alarms'],
  },
});
