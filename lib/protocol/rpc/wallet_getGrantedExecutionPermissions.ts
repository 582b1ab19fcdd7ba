// wallet_getGrantedExecutionPermissions: this site's live grants, each answer element as it was
// given (in the shape of the method that asked for it).
import { z } from 'zod';
import * as wallet_grantPermissions from './wallet_grantPermissions.js';
import * as wallet_requestExecutionPermissions from './wallet_requestExecutionPermissions.js';
import { noParams, parseParams } from './parseParams.js';

export const Parameters = noParams('takes no params');
export const Response = z.array(z.union([wallet_requestExecutionPermissions.Granted, wallet_grantPermissions.Response]));
export const parameters = (raw: unknown) => parseParams(Parameters, raw);
