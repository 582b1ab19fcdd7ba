// eth_chainId (EIP-695): the chain the wallet is on, as a 0x-hex quantity.
import { hexQuantity } from '../primitives.js';
import { ignoredParams, parseParams } from './parseParams.js';

export const Parameters = ignoredParams;
export const Response = hexQuantity;
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
