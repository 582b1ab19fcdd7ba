import * as schema from '../../../protocol/rpc/eth_accounts.js';
import { connectedAccounts } from '../../connections.js';
import { dappHandler } from '../dappHandler.js';

export const eth_accounts = dappHandler({
  schema,
  handle: (ctx, _, { origin }) => connectedAccounts(ctx, origin),
});
