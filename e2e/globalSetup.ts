// One devnet for the whole e2e run (chain, contracts, Alto), its JSON served where the e2e build of
// the extension looks for it (FUNCTOR_E2E_CONFIG_PORT, set by scripts/test-e2e.mjs), and written
// to test-results/e2e-devnet.json for the tests' own chain reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet } from '../devnet/devnet.js';

export const DEVNET_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'e2e-devnet.json');

export default async function globalSetup() {
  const t0 = Date.now();
  const devnet = await startDevnet({ configPort: Number(process.env.FUNCTOR_E2E_CONFIG_PORT ?? 8549) });
  mkdirSync(path.dirname(DEVNET_FILE), { recursive: true });
  writeFileSync(DEVNET_FILE, JSON.stringify(devnet.config));
  console.log(`e2e devnet up in ${((Date.now() - t0) / 1000).toFixed(1)} s, served at ${devnet.configUrl}`);
  return async () => devnet.stop();
}
