// eth_requestAccounts (EIP-1102): connect the site (an approval window) or answer its accounts.
import { z } from 'zod';
import { address } from '../primitives.js';
import { noParams, parseParams } from './parseParams.js';

export const Parameters = noParams('eth_requestAccounts takes no params');
export const Response = z.array(address);
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
