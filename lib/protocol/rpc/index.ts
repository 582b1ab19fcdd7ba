// Every dapp method Functor answers, one namespace each (Porto's style): `Parameters` and
// `Response` are its zod schemas, `parameters(raw)` reads what a page sent, or throws -32602 with
// the field and the reason. lib/background/handlers/dapp/<method>.ts answers it.
export * as eth_accounts from './eth_accounts.js';
export * as eth_chainId from './eth_chainId.js';
export * as eth_requestAccounts from './eth_requestAccounts.js';
export * as net_version from './net_version.js';
export * as wallet_getCallsStatus from './wallet_getCallsStatus.js';
export * as wallet_getCapabilities from './wallet_getCapabilities.js';
export * as wallet_getGrantedExecutionPermissions from './wallet_getGrantedExecutionPermissions.js';
export * as wallet_getSupportedExecutionPermissions from './wallet_getSupportedExecutionPermissions.js';
export * as wallet_grantPermissions from './wallet_grantPermissions.js';
export * as wallet_requestExecutionPermissions from './wallet_requestExecutionPermissions.js';
export * as wallet_revokeExecutionPermission from './wallet_revokeExecutionPermission.js';
export * as wallet_sendCalls from './wallet_sendCalls.js';
export * as wallet_switchEthereumChain from './wallet_switchEthereumChain.js';
