// wallet_grantPermissions: the earlier ERC-7715 draft that viem/experimental and Porto-style dapps
// still send: one key, answered as `{ expiry, grantedPermissions, permissionsContext }`. Its
// schema is the draft's (lib/erc7715/schema.ts), read with its words.
import { z } from 'zod';
import { grantPermissionsRequestSchema, parseGrantPermissionsParams } from '../../erc7715/schema.js';
import { address, hex } from '../primitives.js';

/** `[request]` as viem sends it, or the bare request. */
export const Parameters = z.union([z.tuple([grantPermissionsRequestSchema]), grantPermissionsRequestSchema]);
export const Response = z.object({
  expiry: z.number().int(),
  grantedPermissions: grantPermissionsRequestSchema.shape.permissions,
  permissionsContext: hex,
  factory: address.optional(),
  factoryData: hex.optional(),
  delegationManager: address.optional(),
});
/** The request, unwrapped from its array. */
export const parameters = (raw: unknown) => parseGrantPermissionsParams(raw);
