// Every dapp method Functor answers, one handler each (named for the method, in this folder);
// dappRpc.ts looks a method up here and nowhere else.
import { eth_accounts } from './eth_accounts.js';
import { eth_chainId } from './eth_chainId.js';
import { eth_requestAccounts } from './eth_requestAccounts.js';
import { net_version } from './net_version.js';
import { wallet_getCallsStatus } from './wallet_getCallsStatus.js';
import { wallet_getCapabilities } from './wallet_getCapabilities.js';
import { wallet_getGrantedExecutionPermissions } from './wallet_getGrantedExecutionPermissions.js';
import { wallet_getSupportedExecutionPermissions } from './wallet_getSupportedExecutionPermissions.js';
import { wallet_grantPermissions } from './wallet_grantPermissions.js';
import { wallet_requestExecutionPermissions } from './wallet_requestExecutionPermissions.js';
import { wallet_revokeExecutionPermission } from './wallet_revokeExecutionPermission.js';
import { wallet_sendCalls } from './wallet_sendCalls.js';
import { wallet_switchEthereumChain } from './wallet_switchEthereumChain.js';
import type * as rpc from '../../../protocol/rpc/index.js';
import type { DappHandler, DappMethod } from '../dappHandler.js';

export const dappHandlers: { [M in DappMethod]: DappHandler<(typeof rpc)[M]> } = {
  eth_chainId,
  net_version,
  eth_accounts,
  eth_requestAccounts,
  wallet_switchEthereumChain,
  wallet_getCapabilities,
  wallet_sendCalls,
  wallet_getCallsStatus,
  wallet_getSupportedExecutionPermissions,
  wallet_requestExecutionPermissions,
  wallet_grantPermissions,
  wallet_getGrantedExecutionPermissions,
  wallet_revokeExecutionPermission,
};
