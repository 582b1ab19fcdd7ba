// wallet_getCapabilities (EIP-5792): per known chain, atomic batches and ERC-7715 permissions.
import { isAddress } from 'viem';
import { z } from 'zod';
import { hexQuantity } from '../primitives.js';
import { parseParams } from './parseParams.js';

// The address is checked after the shape, so a bad one is named as such (`params[0]: an address`).
export const Parameters = z
  .union([z.tuple([z.string()]), z.tuple([z.string(), z.array(z.string().regex(/^0x[0-9a-fA-F]{1,16}$/)).max(64)])])
  .superRefine(([a], ctx) => {
    if (!isAddress(a)) ctx.addIssue({ code: 'custom', path: [0], message: 'an address' });
  });
export const Response = z.record(
  hexQuantity,
  z.object({ atomic: z.object({ status: z.enum(['supported', 'ready', 'unsupported']) }), permissions: z.object({ supported: z.boolean() }) }),
);
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
