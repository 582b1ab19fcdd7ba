// What dapps send for ERC-7715, parsed at the boundary. Two dialects:
//
// - `wallet_requestExecutionPermissions`, as MetaMask's @metamask/smart-accounts-kit 2.0 sends it
//   (checked against the kit's erc7715Mapping.ts and @metamask/7715-permission-types): an array of
//   `{ chainId: hex, from?, to, permission: { type, isAdjustmentAllowed, data }, rules? }`, amounts
//   as 0x-hex strings, `periodDuration`/`startTime` as numbers of seconds, optional fields possibly
//   `null`. Rules are `expiry {timestamp}`, `redeemer {addresses}` and `payee {addresses}`. Kits
//   before 1.0 sent the grantee as `signer: {type: 'account', data: {address}}` and the account as
//   `address`, with `isAdjustmentAllowed` inside each rule: accepted too.
// - `wallet_grantPermissions`, the earlier draft viem/experimental still sends:
//   `[{ expiry, signer?, permissions: [{ type, data, policies: [{ type, data }], required? }] }]`.
//
// The envelope schemas validate without converting, so an answer can echo the request as sent;
// the per-type data schemas convert amounts to bigint and refuse, with the field named, whatever
// cannot be enforced as written. Unknown fields are refused, not ignored: a field we do not read
// may be a restriction the dapp expects us to keep.
import { isAddress, isHex, maxUint256, zeroAddress, type Address, type Hex } from 'viem';
import { z, type ZodIssue, type ZodType, type ZodTypeDef } from 'zod';
import { MAX_UINT32, MAX_UINT48, MAX_UINT96 } from '../permissions/constants.js';
import { invalid, unsupported } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------------

const HEX_QUANTITY = /^0x[0-9a-fA-F]{1,64}$/;

/** An address as sent; mixed case must carry a valid EIP-55 checksum. */
export const addressSchema = z
  .string({ required_error: 'required', invalid_type_error: 'an address string' })
  .refine((s): s is Address => isAddress(s), 'not an address (or a bad EIP-55 checksum)');

const nonZeroAddress = (what: string) => addressSchema.refine((a) => a.toLowerCase() !== zeroAddress, `the zero address is not ${what}`);

/** EIP-155 chain id as a 0x-hex quantity (the kit sends `toHex(chainId)`). */
export const chainIdSchema = z
  .string({ required_error: 'required', invalid_type_error: 'a 0x-hex chain id' })
  .regex(HEX_QUANTITY, 'not a 0x-hex chain id')
  // Refinements run after a failed regex too (zod 3): test the format again before BigInt.
  .refine((s) => !HEX_QUANTITY.test(s) || (BigInt(s) > 0n && BigInt(s) <= BigInt(Number.MAX_SAFE_INTEGER)), 'out of range');

const hexString = (what: string) =>
  z.string({ required_error: 'required', invalid_type_error: what }).refine((s): s is Hex => isHex(s, { strict: true }) && s.length % 2 === 0, `not ${what}`);

type AmountRules = {
  /** 0 is refused unless allowed (a zero amount grants nothing). */
  allowZero?: boolean;
  /** Refuse what the hook cannot hold (uint96) and the max-uint256 "unlimited" sentinel. */
  enforceable?: boolean;
};

/** A uint256 as a 0x-hex quantity → bigint. */
export function amountSchema({ allowZero = false, enforceable = true }: AmountRules = {}) {
  return z
    .string({ required_error: 'required', invalid_type_error: 'a 0x-hex amount' })
    .regex(HEX_QUANTITY, 'not a 0x-hex amount (at most 32 bytes)')
    .transform((s, ctx) => {
      const v = BigInt(s);
      if (v === 0n && !allowZero) {
        ctx.addIssue({ code: 'custom', message: '0 grants nothing' });
        return z.NEVER;
      }
      if (enforceable && v === maxUint256) {
        ctx.addIssue({
          code: 'custom',
          message: 'an unlimited amount (max uint256) is refused: ask for the most the agent needs',
        });
        return z.NEVER;
      }
      if (enforceable && v > MAX_UINT96) {
        ctx.addIssue({ code: 'custom', message: 'amount too large to enforce (above uint96, 7.9e28 base units)' });
        return z.NEVER;
      }
      return v;
    });
}

const seconds = z
  .number({ required_error: 'required', invalid_type_error: 'a number of seconds' })
  .int('not a whole number of seconds')
  .min(1, 'must be at least 1 second')
  .max(MAX_UINT32, 'above uint32 (136 years)');

/** Unix seconds; uint32 because fixed periods start at a uint32 onchain. */
const startTime = z
  .number({ invalid_type_error: 'unix seconds' })
  .int('not a whole number of seconds')
  .min(1, 'must be a positive unix time')
  .max(MAX_UINT32, 'above uint32 (year 2106)')
  .nullable()
  .optional();

const justification = z.string({ invalid_type_error: 'a string' }).max(2000, 'longer than 2000 characters').nullable().optional();

// ---------------------------------------------------------------------------------------------
// Permission data, per type
// ---------------------------------------------------------------------------------------------

const tokenAddress = nonZeroAddress('a token: use the native-token types for the chain coin');

const periodic = {
  periodAmount: amountSchema(),
  periodDuration: seconds,
  startTime,
  justification,
};

const stream = {
  initialAmount: amountSchema({ allowZero: true }).nullable().optional(),
  // A cap, not an amount the hook holds: the kit's documented default is max uint256 ("no cap").
  maxAmount: amountSchema({ enforceable: false }).nullable().optional(),
  amountPerSecond: amountSchema(),
  startTime,
  justification,
};

const allowance = {
  allowanceAmount: amountSchema(),
  startTime,
  justification,
};

const maxAtLeastInitial = (d: { initialAmount?: bigint | null; maxAmount?: bigint | null }, ctx: z.RefinementCtx) => {
  if (d.initialAmount != null && d.maxAmount != null && d.maxAmount < d.initialAmount) {
    ctx.addIssue({ code: 'custom', path: ['maxAmount'], message: 'below initialAmount' });
  }
};

/**
 * `functor-calls`: `to` an address or 'any'; `selector` a 4-byte hex, a signature, 'any' or 'value';
 * `args` conditions on the call's static arguments (an exact target and selector only): `arg` its
 * index, `op` equal | atMost | atLeast | oneOf, `values` 32-byte words (the hook enforces them).
 */
const functorCall = z
  .object({
    to: z.union([z.literal('any'), nonZeroAddress("a target: write 'any'")], {
      errorMap: () => ({ message: "not an address or 'any'" }),
    }),
    selector: z.string({ invalid_type_error: "a selector, a function signature, 'any' or 'value'" }).optional(),
    args: z
      .array(
        z
          .object({
            arg: z.number({ invalid_type_error: 'an argument index' }).int().min(0).max(255),
            op: z.enum(['equal', 'atMost', 'atLeast', 'oneOf']),
            values: z.array(z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 32-byte hex word')).min(1, 'empty'),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export const permissionDataSchemas = {
  'native-token-periodic': z.object(periodic).strict(),
  'erc20-token-periodic': z.object({ ...periodic, tokenAddress }).strict(),
  'native-token-stream': z.object(stream).strict().superRefine(maxAtLeastInitial),
  'erc20-token-stream': z
    .object({ ...stream, tokenAddress })
    .strict()
    .superRefine(maxAtLeastInitial),
  'native-token-allowance': z.object(allowance).strict(),
  'erc20-token-allowance': z.object({ ...allowance, tokenAddress }).strict(),
  'functor-calls': z
    .object({
      calls: z.array(functorCall, { required_error: 'required' }).min(1, 'empty: grants nothing'),
      justification,
    })
    .strict(),
} as const;

export type PermissionType = keyof typeof permissionDataSchemas;
export type PermissionData<T extends PermissionType> = z.output<(typeof permissionDataSchemas)[T]>;
export const PERMISSION_TYPES = Object.keys(permissionDataSchemas) as PermissionType[];

/** MetaMask types Functor does not grant, with the reason given to the dapp. */
export const REFUSED_TYPES: Record<string, string> = {
  'erc20-token-revocation': 'revoking ERC-20 approvals is not a Functor permission type yet',
  'token-approval-revocation': 'revoking token approvals is not a Functor permission type yet',
};

export function isPermissionType(t: string): t is PermissionType {
  return Object.prototype.hasOwnProperty.call(permissionDataSchemas, t);
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const addressList = z.array(addressSchema, { required_error: 'required' }).min(1, 'empty');

export const ruleDataSchemas = {
  expiry: z
    .object({
      timestamp: z
        .number({ required_error: 'required', invalid_type_error: 'unix seconds' })
        .int('not a whole number of seconds')
        .min(1, 'must be a positive unix time')
        .max(MAX_UINT48, 'above uint48'),
    })
    .strict(),
  redeemer: z.object({ addresses: addressList }).strict(),
  payee: z.object({ addresses: addressList }).strict(),
} as const;

export type RuleType = keyof typeof ruleDataSchemas;

export function isRuleType(t: string): t is RuleType {
  return Object.prototype.hasOwnProperty.call(ruleDataSchemas, t);
}

// ---------------------------------------------------------------------------------------------
// wallet_requestExecutionPermissions
// ---------------------------------------------------------------------------------------------

const object = z.record(z.unknown(), { required_error: 'required', invalid_type_error: 'an object' });

const ruleSchema = z
  .object({
    type: z.string({ required_error: 'required', invalid_type_error: 'a string' }).min(1, 'empty'),
    data: object,
    isAdjustmentAllowed: z.boolean({ invalid_type_error: 'a boolean' }).optional(), // kits < 1.0
  })
  .strict();

export const executionPermissionRequestSchema = z
  .object(
    {
      chainId: chainIdSchema,
      /** The user's account; optional (the user picks). */
      from: addressSchema.nullable().optional(),
      /** The session account that receives the permission (Functor: the key's signer). */
      to: addressSchema.optional(),
      permission: z
        .object(
          {
            type: z.string({ required_error: 'required', invalid_type_error: 'a string' }).min(1, 'empty'),
            isAdjustmentAllowed: z.boolean({ invalid_type_error: 'a boolean' }).optional(),
            data: object,
          },
          { required_error: 'required', invalid_type_error: 'an object' },
        )
        .strict(),
      rules: z.array(ruleSchema, { invalid_type_error: 'an array' }).nullable().optional(),
      // Kits before 1.0: `address` for `from`, `signer` for `to`.
      address: addressSchema.nullable().optional(),
      signer: z
        .object({ type: z.literal('account'), data: z.object({ address: addressSchema }).strict() })
        .strict()
        .optional(),
    },
    { invalid_type_error: 'a permission request object' },
  )
  .strict()
  .superRefine((r, ctx) => {
    if (r.to === undefined && r.signer === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'required: the session account that receives the permission',
      });
    }
    if (r.to !== undefined && r.signer && r.to.toLowerCase() !== r.signer.data.address.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['signer'], message: 'names another account than `to`' });
    }
    if (r.from && r.address && r.from.toLowerCase() !== r.address.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'names another account than `from`' });
    }
  });

export type ExecutionPermissionRequest = z.output<typeof executionPermissionRequestSchema>;
export type ExecutionPermissionRule = z.output<typeof ruleSchema>;

/** Params of `wallet_requestExecutionPermissions`: a non-empty array of requests. */
export function parseRequestExecutionPermissionsParams(params: unknown): ExecutionPermissionRequest[] {
  if (!Array.isArray(params)) throw invalid('params', 'expected an array of permission requests');
  if (params.length === 0) throw invalid('params', 'empty: no permission requested');
  return params.map((p, i) => parseWith(executionPermissionRequestSchema, p, `[${i}]`));
}

// ---------------------------------------------------------------------------------------------
// wallet_grantPermissions (the earlier draft: viem/experimental)
// ---------------------------------------------------------------------------------------------

const draftPolicySchema = z
  .object({
    type: z.string({ required_error: 'required', invalid_type_error: 'a string' }).min(1, 'empty'),
    data: object,
  })
  .strict();

const draftPermissionSchema = z
  .object({
    type: z.string({ required_error: 'required', invalid_type_error: 'a string' }).min(1, 'empty'),
    data: object,
    policies: z.array(draftPolicySchema, { required_error: 'required', invalid_type_error: 'an array' }),
    required: z.boolean({ invalid_type_error: 'a boolean' }).optional(),
  })
  .strict();

export const grantPermissionsRequestSchema = z
  .object(
    {
      chainId: chainIdSchema.optional(),
      address: addressSchema.optional(),
      expiry: z
        .number({ required_error: 'required', invalid_type_error: 'unix seconds' })
        .int('not a whole number of seconds')
        .min(1, 'must be a positive unix time')
        .max(MAX_UINT48, 'above uint48'),
      permissions: z.array(draftPermissionSchema, { required_error: 'required', invalid_type_error: 'an array' }).min(1, 'empty: no permission requested'),
      signer: z
        .object({
          type: z.string({ required_error: 'required', invalid_type_error: 'a string' }),
          data: object.optional(),
        })
        .strict()
        .optional(),
    },
    { invalid_type_error: 'a grant request object' },
  )
  .strict();

export type GrantPermissionsRequest = z.output<typeof grantPermissionsRequestSchema>;
export type GrantPermissionsPermission = z.output<typeof draftPermissionSchema>;

/** The draft's own permission types (the 7715 types above are accepted inside it too). */
export const draftDataSchemas = {
  'native-token-transfer': z.object({ ticker: z.string({ invalid_type_error: 'a string' }).optional() }).strict(),
  'erc20-token-transfer': z.object({ address: tokenAddress, ticker: z.string({ invalid_type_error: 'a string' }).optional() }).strict(),
  'contract-call': z
    .object({
      address: nonZeroAddress('a contract'),
      calls: z.array(z.string({ invalid_type_error: 'a function signature' }), { required_error: 'required' }).min(1, 'empty: permits no function'),
    })
    .strict(),
} as const;

export type DraftPermissionType = keyof typeof draftDataSchemas;

export function isDraftPermissionType(t: string): t is DraftPermissionType {
  return Object.prototype.hasOwnProperty.call(draftDataSchemas, t);
}

export const draftPolicySchemas = {
  'token-allowance': z.object({ allowance: amountSchema() }).strict(),
  /** "Gas limit (in wei)": a gas budget for the key. */
  'gas-limit': z.object({ limit: amountSchema() }).strict(),
  'rate-limit': z
    .object({
      count: z
        .number({ required_error: 'required', invalid_type_error: 'a number' })
        .int('not an integer')
        .min(1, 'must be at least 1')
        .max(MAX_UINT32, 'above uint32'),
      interval: seconds,
    })
    .strict(),
} as const;

export type DraftPolicyType = keyof typeof draftPolicySchemas;

export function isDraftPolicyType(t: string): t is DraftPolicyType {
  return Object.prototype.hasOwnProperty.call(draftPolicySchemas, t);
}

/** Params of `wallet_grantPermissions`: `[request]` (viem) or the bare request. */
export function parseGrantPermissionsParams(params: unknown): GrantPermissionsRequest {
  let at = '';
  let p = params;
  if (Array.isArray(params)) {
    if (params.length !== 1) throw invalid('params', 'expected one grant request');
    at = '[0]';
    p = params[0];
  }
  // Porto answers its own wallet_grantPermissions with another shape: key + { calls, spend }.
  if (p && typeof p === 'object' && 'permissions' in p) {
    const perms = (p as { permissions: unknown }).permissions;
    if (perms && typeof perms === 'object' && !Array.isArray(perms)) {
      throw unsupported(
        `${at}${at ? '.' : ''}permissions`,
        "Porto's grant shape ({ key, permissions: { calls, spend } }) is not supported: send ERC-7715 (wallet_requestExecutionPermissions)",
      );
    }
  }
  return parseWith(grantPermissionsRequestSchema, p, at);
}

// ---------------------------------------------------------------------------------------------
// wallet_revokeExecutionPermission
// ---------------------------------------------------------------------------------------------

const revokeSchema = z.object({ permissionContext: hexString('a 0x-hex permission context') }, { invalid_type_error: 'an object' }).strict();

/** `{ permissionContext }`, or a one-element array of it. */
export function parseRevokeExecutionPermissionParams(params: unknown): { permissionContext: Hex } {
  if (Array.isArray(params)) {
    if (params.length !== 1) throw invalid('params', 'expected { permissionContext }');
    return parseWith(revokeSchema, params[0], '[0]');
  }
  return parseWith(revokeSchema, params, '');
}

// ---------------------------------------------------------------------------------------------
// Parsing with errors a developer can act on
// ---------------------------------------------------------------------------------------------

function reasonOf(issue: ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return 'unknown field (refused rather than ignored: it may be a restriction Functor would not keep)';
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'required';
  if (issue.code === 'invalid_type') {
    // Our schemas name what they expect ("a 0x-hex amount"); zod's default names a JS type.
    const expected = /^Expected .*, received /.test(issue.message) ? issue.expected : issue.message;
    return `expected ${expected}, got ${issue.received}`;
  }
  return issue.message;
}

/** Parses `input`, or throws INVALID_PARAMS naming the first bad field under `at`. */
export function parseWith<O>(schema: ZodType<O, ZodTypeDef, unknown>, input: unknown, at: string): O {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  throw invalid(fieldOf(at, path), reasonOf(issue), r.error);
}

export function fieldOf(at: string, path: readonly (string | number)[]): string {
  let out = at;
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out === '' ? 'params' : out;
}
