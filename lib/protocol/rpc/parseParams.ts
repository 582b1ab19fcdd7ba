// How a dapp method's params are read at the boundary: its schema, or -32602 naming the first
// field that is wrong (`params[0]["chainId"]: a 0x-hex chain id`).
import { z } from 'zod';
import { invalidParams } from '../errors.js';

export function parseParams<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, params: unknown): T {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw invalidParams(`${issue.path.length ? `params${issue.path.map((p) => `[${JSON.stringify(p)}]`).join('')}: ` : ''}${issue.message}`);
}

/** Methods that take nothing: absent or `[]`, anything else refused in these words. */
export const noParams = (words: string) => z.unknown().refine((p) => p === undefined || (Array.isArray(p) && p.length === 0), words);

/** Methods that read no params (a page may send anything; it is not looked at, as before). */
export const ignoredParams = z.unknown();
