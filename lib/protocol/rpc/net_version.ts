// net_version: the chain id in decimal, for dapps that still ask the legacy way.
import { z } from 'zod';
import { ignoredParams, parseParams } from './parseParams.js';

export const Parameters = ignoredParams;
export const Response = z.string().regex(/^[0-9]+$/);
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
