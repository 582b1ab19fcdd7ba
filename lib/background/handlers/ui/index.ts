// Every message the extension's own pages send, one handler each (named for the message, in this
// folder); uiRpc.ts looks a message up here and nowhere else. The wallet's own (wallet:*) hand the
// message to the wallet service (lib/wallet), which owns the vault.
import type { UiHandler, UiType } from '../uiHandler.js';
import { accountHistory } from './accountHistory.js';
import { accounts } from './accounts.js';
import { addNetwork } from './addNetwork.js';
import { approvalDecide } from './approvalDecide.js';
import { approvalGet } from './approvalGet.js';
import { disableKey } from './disableKey.js';
import { disconnect } from './disconnect.js';
import { editPolicy } from './editPolicy.js';
import { importAccount } from './importAccount.js';
import { install } from './install.js';
import { deployFunctor } from './deployFunctor.js';
import { deployFunctorWait } from './deployFunctorWait.js';
import { keyHistory } from './keyHistory.js';
import { keys } from './keys.js';
import { overview } from './overview.js';
import { renameKey } from './renameKey.js';
import { revokeKey } from './revokeKey.js';
import { revokeAll } from './revokeAll.js';
import { rotateSigner } from './rotateSigner.js';
import { selectNetwork } from './selectNetwork.js';
import { walletCreate } from './walletCreate.js';
import { walletImport } from './walletImport.js';
import { walletLock } from './walletLock.js';
import { walletStatus } from './walletStatus.js';
import { walletUnlock } from './walletUnlock.js';

export const uiHandlers: { [T in UiType]: UiHandler<T> } = {
  'wallet:status': walletStatus,
  'wallet:create': walletCreate,
  'wallet:import': walletImport,
  'wallet:unlock': walletUnlock,
  'wallet:lock': walletLock,
  'ui:overview': overview,
  'ui:accounts': accounts,
  'ui:addNetwork': addNetwork,
  'ui:selectNetwork': selectNetwork,
  'ui:importAccount': importAccount,
  'ui:install': install,
  'ui:deployFunctor': deployFunctor,
  'ui:deployFunctorWait': deployFunctorWait,
  'ui:disconnect': disconnect,
  'approval:get': approvalGet,
  'approval:decide': approvalDecide,
  'ui:keys': keys,
  'ui:accountHistory': accountHistory,
  'ui:keyHistory': keyHistory,
  'ui:revokeKey': revokeKey,
  'ui:revokeAll': revokeAll,
  'ui:disableKey': disableKey,
  'ui:rotateSigner': rotateSigner,
  'ui:renameKey': renameKey,
  'ui:editPolicy': editPolicy,
};
