// eth_accounts (EIP-1102): the accounts this site is connected to, none while locked.
import { z } from 'zod';
import { address } from '../primitives.js';
import { ignoredParams, parseParams } from './parseParams.js';

export const Parameters = ignoredParams;
export const Response = z.array(address);
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
