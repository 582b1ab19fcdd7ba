// The background's entry for page requests: parse at the boundary, dispatch one handler per
// method, and answer every failure with the EIP-1193 error it deserves (never throw to the page).
import { z } from 'zod';
import { supportedExecutionPermissions } from '../erc7715/response.js';
import { backgroundRequestSchema, RPC_ERRORS, type RpcResponse } from './messages.js';

export interface RpcContext {
  senderUrl?: string;
}

const methodSchema = z.string().min(1).max(128);

type Handler = (params: unknown, origin: string) => Promise<unknown> | unknown;

/** The devnet's chain until networks land (issue 4): 31337. */
const handlers: Record<string, Handler> = {
  eth_chainId: () => '0x7a69',
  net_version: () => '31337',
  // No origin is connected yet: connection approval comes with the approval window.
  eth_accounts: () => [],
  // ERC-7715: what a dapp may ask for here (MetaMask's types plus Functor's calls type).
  wallet_getSupportedExecutionPermissions: () => supportedExecutionPermissions([31337]),
};

export async function handleRpc(message: unknown, _ctx: RpcContext = {}): Promise<RpcResponse> {
  const req = backgroundRequestSchema.safeParse(message);
  if (!req.success) return { error: { code: RPC_ERRORS.invalidRequest, message: 'Invalid request' } };
  const method = methodSchema.safeParse(req.data.method);
  if (!method.success) return { error: { code: RPC_ERRORS.invalidRequest, message: 'Invalid request: method must be a non-empty string' } };
  const handler = Object.hasOwn(handlers, method.data) ? handlers[method.data] : undefined;
  if (!handler) return { error: { code: RPC_ERRORS.unsupportedMethod, message: `Unsupported method: ${method.data.slice(0, 64)}` } };
  try {
    return { result: await handler(req.data.params, req.data.origin) };
  } catch {
    return { error: { code: RPC_ERRORS.internal, message: 'Internal error' } };
  }
}
