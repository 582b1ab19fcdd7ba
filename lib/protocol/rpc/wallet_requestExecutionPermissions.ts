// wallet_requestExecutionPermissions (ERC-7715, as MetaMask's smart-accounts-kit sends it): one
// key per request element, granted once the user approves. The request's schema is ERC-7715's
// (lib/erc7715/schema.ts), read with its words: the field and the reason as -32602 data.
import { z } from 'zod';
import { executionPermissionRequestSchema, parseRequestExecutionPermissionsParams } from '../../erc7715/schema.js';
import { address, hex, hexQuantity } from '../primitives.js';

export const Parameters = z.array(executionPermissionRequestSchema).min(1);
export type Parameters = z.output<typeof Parameters>;

const request = executionPermissionRequestSchema.innerType().shape;
/** One answer element: the request as granted (erc7715/response.ts builds it), and its context. */
export const Granted = z.object({
  chainId: hexQuantity,
  from: address,
  to: address,
  permission: request.permission,
  rules: request.rules,
  context: hex,
  dependencies: z.array(z.object({ factory: address, factoryData: hex })),
  delegationManager: address,
  signer: request.signer,
  address: address.optional(),
});
export const Response = z.array(Granted);
export const parameters = (raw: unknown): Parameters => parseRequestExecutionPermissionsParams(raw);
