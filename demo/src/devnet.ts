// Where the demo reads the devnet from: `?devnet=URL`, else what `npm run devnet` serves. The JSON
// is parsed with the same schema as everywhere else (lib/chain/devnetConfig.ts).
import { type DevnetConfig, parseDevnetConfig } from '../../lib/chain/devnetConfig.js';

export const DEFAULT_DEVNET_URL = 'http://127.0.0.1:8549/devnet.json';

export type DevnetLoad = { url: string } & ({ config: DevnetConfig; error?: undefined } | { config?: undefined; error: string });

export async function loadDevnet(search = window.location.search): Promise<DevnetLoad> {
  const url = new URLSearchParams(search).get('devnet') ?? DEFAULT_DEVNET_URL;
  try {
    const res = await fetch(url, { cache: 'no-store' });
    if (!res.ok) return { url, error: `${url} answered ${res.status}` };
    return { url, config: parseDevnetConfig(await res.json()) };
  } catch (err) {
    return { url, error: `could not read ${url} (is the devnet running? npm run devnet): ${(err as Error).message}` };
  }
}
