// wallet_sendCalls (EIP-5792): the owner's calls, sent as one UserOp once the user approves.
import { z } from 'zod';
import { addressParam, hexChainIdParam } from '../primitives.js';
import { parseParams } from './parseParams.js';

const call = z
  .object({
    to: addressParam,
    data: z
      .string()
      .regex(/^0x([0-9a-fA-F]{2})*$/, '0x-hex bytes')
      .max(200_000)
      .optional(),
    value: z
      .string()
      .regex(/^0x[0-9a-fA-F]{1,64}$/, 'a 0x-hex quantity')
      .optional(),
  })
  .strict();

export const Parameters = z.tuple([
  z
    .object({
      version: z.string().max(16).optional(),
      id: z.string().max(256).optional(),
      chainId: hexChainIdParam,
      from: addressParam.optional(),
      calls: z.array(call).min(1, 'no calls').max(32, 'at most 32 calls'),
      atomicRequired: z.boolean().optional(),
      capabilities: z.record(z.unknown()).optional(),
    })
    .strict(),
]);
export type Parameters = z.infer<typeof Parameters>;
/** The bundle's id: the UserOp's hash (wallet_getCallsStatus takes it). */
export const Response = z.object({ id: z.string() });
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
