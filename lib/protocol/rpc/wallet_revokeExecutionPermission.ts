// wallet_revokeExecutionPermission (ERC-7715): revoke a grant this site holds, named by its
// context. Read with ERC-7715's words (lib/erc7715/schema.ts), and the context must decode as
// one Functor wrote.
import { z } from 'zod';
import { decodeContext } from '../../erc7715/response.js';
import { parseRevokeExecutionPermissionParams } from '../../erc7715/schema.js';
import { hex } from '../primitives.js';

/** `{ permissionContext }`, or a one-element array of it. */
export const Parameters = z.object({ permissionContext: hex });
export type Parameters = z.output<typeof Parameters>;
export const Response = z.object({}).strict();
export function parameters(raw: unknown): Parameters {
  const p = parseRevokeExecutionPermissionParams(raw);
  decodeContext(p.permissionContext);
  return p;
}
