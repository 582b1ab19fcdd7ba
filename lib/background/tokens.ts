// Symbols and decimals read from chain, for showing amounts in token units.
import { type Address, type Chain, erc20Abi, getAddress, type PublicClient, type Transport } from 'viem';
import type { TokenInfos } from '../permissions/index.js';

export async function readTokenInfos(client: PublicClient<Transport, Chain>, tokens: Address[]): Promise<TokenInfos> {
  const out: TokenInfos = { native: { symbol: 'ETH', decimals: 18 } };
  const unique = [...new Set(tokens.map((t) => getAddress(t)))];
  await Promise.all(
    unique.map(async (t) => {
      try {
        const [symbol, decimals] = await Promise.all([
          client.readContract({ address: t, abi: erc20Abi, functionName: 'symbol' }),
          client.readContract({ address: t, abi: erc20Abi, functionName: 'decimals' }),
        ]);
        out[t.toLowerCase()] = { symbol: symbol.slice(0, 16), decimals };
      } catch {
        // Not an ERC-20 (or not deployed): amounts stay in base units, named by address.
      }
    }),
  );
  return out;
}
