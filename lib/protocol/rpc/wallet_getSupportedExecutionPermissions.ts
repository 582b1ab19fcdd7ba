// wallet_getSupportedExecutionPermissions (ERC-7715): every permission type Functor grants, per
// chain, with the rules each accepts.
import { z } from 'zod';
import { hexQuantity } from '../primitives.js';
import { ignoredParams, parseParams } from './parseParams.js';

export const Parameters = ignoredParams;
export const Response = z.record(z.object({ chainIds: z.array(hexQuantity), ruleTypes: z.array(z.string()) }));
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
