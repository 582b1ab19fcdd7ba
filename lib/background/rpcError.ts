// An EIP-1193 error a handler throws on purpose: the router answers it as is. Anything else a
// handler throws becomes a generic internal error (never a stack or a secret to the page).
import { RPC_ERRORS } from '../provider/messages.js';

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const invalidParams = (message: string) => new RpcError(RPC_ERRORS.invalidParams, `Invalid params: ${message}`);
export const unauthorized = (message = 'This site is not connected: call eth_requestAccounts first') =>
  new RpcError(RPC_ERRORS.unauthorized, message);
export const userRejected = () => new RpcError(RPC_ERRORS.userRejected, 'User rejected the request');
/** MetaMask's "request already pending" code: too many approvals waiting for one site. */
export const RESOURCE_UNAVAILABLE = -32002;
