// The agent's side in e2e tests: lib/agent with the context a dapp received, run from the test
// process against the e2e devnet (as the agent CLI would).
import { createWalletClient, encodeFunctionData, erc20Abi, http, parseUnits, toHex, type Address, type Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { devTokenAbi } from '../lib/abi/generated.js';
import { devnetChain, publicClientFor, smartAccountClientFor, type Network } from '../lib/accounts/clients.js';
import { sendCalls, type GasLimits } from '../lib/agent/sendCalls.js';
import { toFunctorSessionAccount } from '../lib/agent/sessionAccount.js';
import type { DevnetConfig } from '../lib/chain/devnetConfig.js';
import { decodeContext, sessionContextOf } from '../lib/erc7715/response.js';
import type { AccountKind } from '../lib/accounts/kinds.js';

export function networkOf(c: DevnetConfig): Network {
  return { chain: devnetChain(c.chainId, c.rpcUrl, { localPolling: true }), rpcUrl: c.rpcUrl, bundlerUrl: c.bundlerUrl, entryPoint: c.entryPoint };
}

/** ETH for gas and USDC to spend, as the account's owner would fund it. */
export async function fund(c: DevnetConfig, account: Address, usdc = '0') {
  const pub = publicClientFor(networkOf(c));
  await pub.request({ method: 'anvil_setBalance' as never, params: [account, toHex(10n ** 18n)] as never });
  if (usdc !== '0') {
    const minter = privateKeyToAccount(`0x${'42'.repeat(32)}`);
    await pub.request({ method: 'anvil_setBalance' as never, params: [minter.address, toHex(10n ** 18n)] as never });
    const w = createWalletClient({ chain: networkOf(c).chain, transport: http(c.rpcUrl), account: minter });
    const hash = await w.writeContract({ address: c.tokens.usdc, abi: devTokenAbi, functionName: 'mint', args: [account, parseUnits(usdc, 6)] });
    await pub.waitForTransactionReceipt({ hash });
  }
}

/** An agent acting on `account` (one of the accounts the key is enabled on) with the dapp's context. */
export async function agentFor(c: DevnetConfig, context: Hex, signer: PrivateKeyAccount, on?: { account: Address; kind: AccountKind }) {
  const net = networkOf(c);
  const decoded = decodeContext(context);
  const sc = sessionContextOf({ ...decoded, ...(on && { account: on.account, kind: on.kind }) }, c.entryPoint);
  const session = await toFunctorSessionAccount({ client: publicClientFor(net), context: sc, signer });
  const client = smartAccountClientFor(net, session);
  return {
    transfer: (to: Address, amount: string, gas?: GasLimits) =>
      sendCalls(
        client,
        sc,
        [{ to: c.tokens.usdc, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [to, parseUnits(amount, 6)] }) }],
        gas ? { gas } : {},
      ),
  };
}

/** Gas limits that skip estimation, so a refused op lands and leaves its revert onchain. */
export const FORCED_GAS: GasLimits = { callGasLimit: 400_000n, verificationGasLimit: 600_000n, preVerificationGas: 100_000n };
