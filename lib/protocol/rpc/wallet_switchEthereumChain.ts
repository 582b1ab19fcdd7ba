// wallet_switchEthereumChain (EIP-3326): move the wallet to a chain it already knows.
import { z } from 'zod';
import { hexChainIdParam } from '../primitives.js';
import { parseParams } from './parseParams.js';

export const Parameters = z.tuple([z.object({ chainId: hexChainIdParam }).strict()]);
export const Response = z.null();
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
