// Is a network usable? The chain answers with its id, the bundler serves our EntryPoint, and the
// EntryPoint, Functor's contracts and each account kind's contracts have code there. Every problem
// is reported in words, with what it costs the user.
import { createPublicClient, http, type Address } from 'viem';
import type { NetworkAddresses } from './networks.js';

/** `functorMissing`: one of Functor's own contracts has no code there (the popup offers to deploy it). */
export type NetworkCheck = { ok: boolean; chainId?: number; problems: string[]; functorMissing?: true };

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
  const a = p.addresses;
  // What each contract's absence costs the user, said with the problem.
  const wanted: [string, Address, string][] = [
    ['EntryPoint', a.entryPoint, ''],
    ['Functor KeyStore', a.functor.keyStore, ''],
    ['FunctorPolicyHook', a.functor.policyHook, ''],
    ['FunctorValidator', a.functor.validator, ''],
    ['Kernel v3.1', a.kernel.implementation, ': Kernel accounts cannot be used'],
    ['the Kernel factory', a.kernel.factory, ': new Kernel accounts cannot be made'],
    ["Kernel's owner validator (ECDSAValidator)", a.kernel.ownerValidator, ': Kernel accounts cannot be used'],
    ['Nexus 1.0', a.nexus.implementation, ': Nexus accounts cannot be used'],
    ['the Nexus factory', a.nexus.factory, ': new Nexus accounts cannot be made'],
    ['the Nexus bootstrap', a.nexus.bootstrap, ': new Nexus accounts cannot be made'],
    ["Nexus's owner validator (K1Validator)", a.nexus.ownerValidator, ': Nexus accounts cannot be used'],
    ['Safe 1.4.1', a.safe.singleton, ': Safe accounts cannot be used'],
    ['the Safe proxy factory', a.safe.proxyFactory, ': new Safe accounts cannot be made'],
    ['the Safe7579 adapter', a.safe.safe7579, ': Safe accounts cannot be used'],
    ['the Safe7579 launchpad', a.safe.launchpad, ': new Safe accounts cannot be made'],
    ...(a.delegationFramework
      ? [["MetaMask's DelegationManager", a.delegationFramework.DelegationManager, ': grants have the UserOp path only'] as [string, Address, string]]
      : []),
  ];
  // The zero address: not configured here (a public network's Nexus factory, known.ts), not missing.
  const configured = wanted.filter(([, address]) => BigInt(address) !== 0n);
  const codes = await Promise.all(configured.map(([, address]) => client.getCode({ address }).catch(() => undefined)));
  let functorMissing = false;
  configured.forEach(([name, address, consequence], i) => {
    const code = codes[i];
    if (code && code !== '0x') return;
    problems.push(`${name} is not deployed on this chain (no code at ${address})${consequence}`);
    if (Object.values(a.functor).includes(address)) functorMissing = true;
  });
  return { ok: problems.length === 0, chainId, problems, ...(functorMissing ? { functorMissing: true as const } : {}) };
}
