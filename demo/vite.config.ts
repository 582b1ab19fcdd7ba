// The demo dapp's own Vite config (WXT keeps its own for the extension): `vite build --config
// demo/vite.config.ts` writes demo/dist, which demo/serve.ts serves.
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react(), tailwindcss()],
  // wagmi, viem and the kit in one chunk: a demo, loaded from localhost.
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1500 },
  server: { port: Number(process.env.FUNCTOR_DEMO_PORT ?? 5173) },
});
