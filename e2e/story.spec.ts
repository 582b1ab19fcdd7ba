// Issue 6's story on each account kind, with the demo dapp (wagmi + MetaMask's kit) as the dapp.
import path from 'node:path';
import type { AccountKind } from '../lib/accounts/kinds.js';
import { serveDemo } from '../demo/serve';
import { devnet } from './dapp';
import { test } from './fixtures';
import { playStory } from './story';

let demo: Awaited<ReturnType<typeof serveDemo>>;
test.beforeAll(async () => {
  demo = await serveDemo({ port: 0 });
});
test.afterAll(async () => demo?.stop());

for (const kind of ['kernel', 'nexus', 'safe'] as AccountKind[]) {
  test(`the story on ${kind}: install, connect, grant, spend, refuse, a day later, new session key, revoke`, async ({ context, extensionId }) => {
    test.setTimeout(240_000);
    const configUrl = `http://127.0.0.1:${process.env.FUNCTOR_E2E_CONFIG_PORT ?? 8549}/devnet.json`;
    const t0 = Date.now();
    await playStory({
      context,
      extensionId,
      demoUrl: `${demo.url}?devnet=${encodeURIComponent(configUrl)}`,
      c: devnet(),
      kind,
      log: (line) => console.log(`[${kind} ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`),
      screenshots: path.join('test-results', `story-${kind}`),
    });
  });
}
