// Is a network usable? The chain answers with its id, the bundler serves our EntryPoint, and the
// EntryPoint and Functor contracts have code there. Every problem is reported in words.
import { createPublicClient, http, type Address } from 'viem';
import type { NetworkAddresses } from './networks.js';

export type NetworkCheck = { ok: boolean; chainId?: number; problems: string[] };

async function rpc(url: string, method: string, params: unknown[] = [], fetchFn: typeof fetch = fetch): Promise<unknown> {
  const res = await fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(body.error.message ?? 'error');
  return body.result;
}

export async function checkNetwork(
  p: { rpcUrl: string; bundlerUrl: string; addresses: NetworkAddresses; chainId?: number },
  fetchFn: typeof fetch = fetch,
): Promise<NetworkCheck> {
  const problems: string[] = [];
  let chainId: number | undefined;
  try {
    chainId = Number(BigInt((await rpc(p.rpcUrl, 'eth_chainId', [], fetchFn)) as string));
    if (p.chainId !== undefined && chainId !== p.chainId) problems.push(`The chain answers with chain id ${chainId}, not ${p.chainId}`);
  } catch {
    problems.push(`The chain RPC at ${p.rpcUrl} does not answer`);
    return { ok: false, problems };
  }
  try {
    const eps = (await rpc(p.bundlerUrl, 'eth_supportedEntryPoints', [], fetchFn)) as string[];
    if (!eps.some((e) => e.toLowerCase() === p.addresses.entryPoint.toLowerCase())) {
      problems.push(`The bundler does not serve EntryPoint ${p.addresses.entryPoint}`);
    }
  } catch {
    problems.push(`The bundler at ${p.bundlerUrl} does not answer`);
  }
  const client = createPublicClient({ transport: http(p.rpcUrl, { fetchFn }) });
  const wanted: [string, Address][] = [
    ['EntryPoint', p.addresses.entryPoint],
    ['Functor KeyStore', p.addresses.functor.keyStore],
    ['FunctorPolicyHook', p.addresses.functor.policyHook],
    ['FunctorValidator', p.addresses.functor.validator],
  ];
  const codes = await Promise.all(wanted.map(([, a]) => client.getCode({ address: a }).catch(() => undefined)));
  wanted.forEach(([name, a], i) => {
    const code = codes[i];
    if (!code || code === '0x') problems.push(`${name} is not deployed on this chain (no code at ${a})`);
  });
  return { ok: problems.length === 0, chainId, problems };
}
