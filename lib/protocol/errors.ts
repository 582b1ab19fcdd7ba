// Errors a page is answered with: viem's class for each EIP-1193 / EIP-1474 / EIP-5792 code, and
// the one function (`toWireError`) that turns a thrown error into what the page reads,
// `{ code, message, data? }`. The message is the wallet's own sentence (carried as the viem
// error's cause, so `details` reads it too), never viem's generic text. An error the wallet did not
// throw on purpose, a viem RpcError from a bundler included, is "Internal error": never a stack,
// a URL or a secret to the page.
import {
  ChainDisconnectedError,
  InternalRpcError,
  InvalidParamsRpcError,
  InvalidRequestRpcError,
  ProviderDisconnectedError,
  ResourceUnavailableRpcError,
  RpcError,
  SwitchChainError,
  UnauthorizedProviderError,
  UnknownBundleIdError,
  UnsupportedProviderMethodError,
  UserRejectedRequestError,
} from 'viem';
import { PermissionRequestError } from '../erc7715/errors.js';
import type { RpcErrorBody } from '../provider/messages.js';

export type WireError = RpcErrorBody;

/** The wallet's words for the page (and the data that goes with them): the cause of an RpcError it throws. */
class WalletSays extends Error {
  override name = 'WalletSays';
  constructor(
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

type RpcErrorClass = { new (cause: Error): RpcError; code: number };

/** An error the page is answered with as is: `Class`'s code, `message` in the wallet's words. */
export function rpcError(Class: RpcErrorClass, message: string, data?: unknown): RpcError {
  return new Class(new WalletSays(message, data));
}

export const userRejected = () => rpcError(UserRejectedRequestError, 'User rejected the request');
export const unauthorized = (message = 'This site is not connected: call eth_requestAccounts first') => rpcError(UnauthorizedProviderError, message);
export const unsupportedMethod = (method: string) => rpcError(UnsupportedProviderMethodError, `Unsupported method: ${method}`);
/** The wallet is not answering at all (the relay gave up, or a request was lost). */
export const providerDisconnected = (message: string) => rpcError(ProviderDisconnectedError, message);
/** No network, a network that does not answer, or a request for another chain than the wallet's. */
export const chainDisconnected = (message: string) => rpcError(ChainDisconnectedError, message);
/** wallet_switchEthereumChain to a chain the wallet does not know (4902). */
export const unrecognizedChain = (message: string) => rpcError(SwitchChainError, message);
export const unknownBundle = () => rpcError(UnknownBundleIdError, 'Unknown bundle id');
export const invalidRequest = (message = 'Invalid request') => rpcError(InvalidRequestRpcError, message);
export const invalidParams = (message: string, data?: unknown) => rpcError(InvalidParamsRpcError, `Invalid params: ${message}`, data);
/** MetaMask's "request already pending" (-32002): too many approvals waiting for one site. */
export const resourceUnavailable = (message: string) => rpcError(ResourceUnavailableRpcError, message);
export const internalError = (message = 'Internal error') => rpcError(InternalRpcError, message);

/** Whether `e` was thrown on purpose by the wallet (one of the above), not by viem for a chain or bundler. */
export const isWalletError = (e: unknown): e is RpcError & { cause: WalletSays } => e instanceof RpcError && e.cause instanceof WalletSays;

/** A thrown error in the wallet's words, for the popup: its own sentence, else the first line. */
export function wordsOf(e: unknown, fallback = 'Something went wrong'): string {
  if (isWalletError(e)) return e.cause.message;
  return e instanceof Error ? e.message.split('\n')[0]! : fallback;
}

/** The one place a thrown error becomes the page's `{ code, message, data? }`. */
export function toWireError(e: unknown): WireError {
  if (isWalletError(e)) {
    return { code: e.code, message: e.cause.message, ...(e.cause.data !== undefined && { data: e.cause.data }) };
  }
  if (e instanceof PermissionRequestError) return toWireError(invalidParams(e.message, { field: e.field, reason: e.reason, kind: e.code }));
  return { code: InternalRpcError.code, message: 'Internal error' };
}

const BY_CODE: RpcErrorClass[] = [
  UserRejectedRequestError,
  UnauthorizedProviderError,
  UnsupportedProviderMethodError,
  ProviderDisconnectedError,
  ChainDisconnectedError,
  SwitchChainError,
  UnknownBundleIdError,
  InvalidRequestRpcError,
  InvalidParamsRpcError,
  ResourceUnavailableRpcError,
  InternalRpcError,
];

/** A stored answer (an approval's) thrown again as the error it was: `toWireError` gives it back unchanged. */
export function fromWireError(w: WireError): RpcError<number> {
  const Class = BY_CODE.find((c) => c.code === w.code);
  if (Class) return rpcError(Class, w.message, w.data);
  return new RpcError<number>(new WalletSays(w.message, w.data), { code: w.code, shortMessage: w.message });
}
