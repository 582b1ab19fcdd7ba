// wallet_getCallsStatus (EIP-5792): a bundle this site sent, pending (100), landed (200) or
// reverted (500), with its receipt once there is one.
import { z } from 'zod';
import { address, hex, hexQuantity } from '../primitives.js';
import { parseParams } from './parseParams.js';

export const Parameters = z.tuple([z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a call bundle id')]);
const receipt = z.object({
  logs: z.array(z.object({ address, data: hex, topics: z.array(hex) })),
  status: hexQuantity,
  blockHash: hex,
  blockNumber: hexQuantity,
  gasUsed: hexQuantity,
  transactionHash: hex,
});
export const Response = z.object({
  version: z.string(),
  id: z.string(),
  chainId: hexQuantity,
  atomic: z.boolean(),
  status: z.number().int(),
  receipts: z.array(receipt).optional(),
});
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
