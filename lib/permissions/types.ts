// The one TypeScript shape of what a key may do, modeled on Porto's permissions and mirroring the
// onchain `Policies` struct (contracts/src/lib/PolicyTypes.sol). codec.ts converts between them.
//
// The schema refuses, before anything is sent, every policy FunctorPolicyHook._validate refuses
// (InvalidPolicy), plus the values whose onchain encoding would mean something other than what
// they read as: the zero address as a call target (it means "any target"), 0xffffffff and
// 0x00000000 as selectors ("any" and "plain value transfer"), an expiry of 0 ("never") and a gas
// budget of 0 ("no budget"). Zeros that mean the same as leaving a field out (validAfter 0, a zero
// paymaster, no customs, the zero address as a token) are normalized away, so that every
// Permission has one encoding and codec round trips are exact.
import { getAddress, isAddress, pad, toFunctionSelector, toHex, zeroAddress, type Address, type Hex } from 'viem';
import { z } from 'zod';
import {
  ANY_SELECTOR,
  MAX_CALLS,
  MAX_CONDITIONS,
  MAX_CONDITIONS_PER_CALL,
  MAX_ONE_OF,
  MAX_CUSTOMS,
  MAX_SPENDS,
  MAX_UINT32,
  MANAGEMENT_SELECTORS,
  MAX_FEE_PER_GAS,
  MAX_UINT48,
  MAX_UINT72,
  MAX_UINT96,
  VALUE_SELECTOR,
} from './constants.js';
import { PermissionError } from './errors.js';

/** A contract the key may call, or 'any' (with a specific selector only). */
export type Target = Address | 'any';
/** A 4-byte selector, 'any' function, or 'value': a call with empty calldata (plain transfer). */
export type Selector = Hex | 'any' | 'value';

/**
 * A condition on one 32-byte static argument of a call (the word at calldata[4 + 32·arg]), enforced
 * onchain in validation and execution: equal to, at most or at least (unsigned) its one value, or one
 * of its values. Values are whole words (`addressWord`, `uintWord`): an address argument with dirty
 * upper bits never matches. E.g. an ERC-20 transfer's recipient (arg 0) one of the payees.
 */
export type ArgOp = 'equal' | 'atMost' | 'atLeast' | 'oneOf';
export type ArgCondition = { arg: number; op: ArgOp; values: Hex[] };

/** `args`: conditions on the call's arguments, only on an exact target and selector. */
export type PermissionCall = { to: Target; selector: Selector; args?: ArgCondition[] };

/** The word an address argument is compared with. */
export const addressWord = (a: Address): Hex => pad(a.toLowerCase() as Hex, { size: 32 });
/** The word an unsigned integer argument is compared with. */
export const uintWord = (n: bigint): Hex => pad(toHex(n), { size: 32 });

/**
 * sliding: no span of `seconds` ever sees more than the limit.
 * fixed: periods of `seconds` from `start` (unix seconds), as ERC-7715 `*-periodic`.
 */
export type Period = { kind: 'sliding'; seconds: number } | { kind: 'fixed'; seconds: number; start: number };

/** `limit` in the token's base units (wei for 'native'). */
export type PermissionSpend = { token: Address | 'native'; limit: bigint; period: Period };

/** At most `maxCalls` executions in any `seconds` (sliding). */
export type PermissionRate = { maxCalls: number; seconds: number };

/**
 * Mandatory: checked in validation, where a signer picks its own gas limits and fees.
 * `maxCostPerOp` (wei) caps an op's maximum cost, (sum of its gas limits) x maxFeePerGas, which
 * bounds what the account can be charged for it. `maxOps` bounds how many more ops the key may
 * make on the account from now on, so `maxOps x maxCostPerOp` is the most a leaked key can make the
 * account pay in all (ops that revert in execution are paid too, and no rate limit sees them).
 * It is relative: onchain the bound is an absolute ceiling on the key's EntryPoint nonce sequence
 * (GasPolicy.opCeiling), which the codec computes from the lane's current sequence
 * (toPolicies(p, sequence)); decoding gives back the ops left. `budget` (wei) is debited with
 * each op's maximum cost; no `paymaster`: none allowed.
 */
export type PermissionGas = {
  maxFeePerGas: bigint;
  maxCostPerOp: bigint;
  maxOps: number;
  budget?: bigint;
  paymaster?: Address;
};

export type Permission = {
  calls: PermissionCall[];
  spend: PermissionSpend[];
  rate?: PermissionRate;
  /** Unix seconds; the key cannot act before. */
  validAfter?: number;
  /** Unix seconds, inclusive; undefined: no expiry. */
  expiry?: number;
  gas: PermissionGas;
  /** IFunctorPolicy contracts, called in pre and post check. */
  customs?: Address[];
};

// The default gas caps come from the chain's fees: see gasDefaults.ts.

/** `selectorOf('transfer(address,uint256)')` → `'0xa9059cbb'`. */
export function selectorOf(signature: string): Hex {
  return toFunctionSelector(signature);
}

const uint = (max: number, what: string) =>
  z.number({ required_error: 'required', invalid_type_error: 'a number' }).int('an integer').min(0, 'negative').max(max, `above ${what}`);

const addressSchema = z.string({ required_error: 'required', invalid_type_error: 'an address' }).transform((s, ctx) => {
  if (!isAddress(s)) {
    ctx.addIssue({ code: 'custom', message: 'not an address (or a bad checksum)' });
    return z.NEVER;
  }
  return getAddress(s);
});

const targetSchema = z.string({ required_error: 'required', invalid_type_error: "an address or 'any'" }).transform((s, ctx) => {
  if (s === 'any') return 'any' as const;
  if (!isAddress(s)) {
    ctx.addIssue({ code: 'custom', message: "not an address or 'any'" });
    return z.NEVER;
  }
  const a = getAddress(s);
  if (a === zeroAddress) {
    ctx.addIssue({ code: 'custom', message: "the zero address means any target onchain: write 'any'" });
    return z.NEVER;
  }
  return a;
});

const selectorSchema = z.string({ required_error: 'required', invalid_type_error: "a selector, 'any' or 'value'" }).transform((s, ctx): Selector => {
  if (s === 'any' || s === 'value') return s;
  if (!/^0x[0-9a-fA-F]{8}$/.test(s)) {
    ctx.addIssue({ code: 'custom', message: "not a 4-byte selector, 'any' or 'value'" });
    return z.NEVER;
  }
  const sel = s.toLowerCase() as Hex;
  if (sel === ANY_SELECTOR) {
    ctx.addIssue({ code: 'custom', message: "0xffffffff means any selector onchain: write 'any'" });
    return z.NEVER;
  }
  if (sel === VALUE_SELECTOR) {
    ctx.addIssue({ code: 'custom', message: "0x00000000 means a plain value transfer onchain: write 'value'" });
    return z.NEVER;
  }
  return sel;
});

const tokenSchema = z.string({ required_error: 'required', invalid_type_error: "an address or 'native'" }).transform((s, ctx) => {
  if (s === 'native') return 'native' as const;
  if (!isAddress(s)) {
    ctx.addIssue({ code: 'custom', message: "not an address or 'native'" });
    return z.NEVER;
  }
  const a = getAddress(s);
  return a === zeroAddress ? ('native' as const) : a;
});

const periodSeconds = z
  .number({ required_error: 'required', invalid_type_error: 'a number' })
  .int('an integer')
  .min(1, 'a period of 0 seconds')
  .max(MAX_UINT32, 'above uint32 (136 years)');

const periodSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('sliding'), seconds: periodSeconds }).strict(),
    z.object({ kind: z.literal('fixed'), seconds: periodSeconds, start: uint(MAX_UINT32, 'uint32') }).strict(),
  ],
  { errorMap: () => ({ message: "kind must be 'sliding' or 'fixed'" }) },
);

const wordSchema = z.string({ required_error: 'required', invalid_type_error: 'a 32-byte word' }).transform((s, ctx) => {
  if (!/^0x[0-9a-fA-F]{64}$/.test(s)) {
    ctx.addIssue({ code: 'custom', message: 'not a 32-byte word (use addressWord or uintWord)' });
    return z.NEVER;
  }
  return s.toLowerCase() as Hex;
});

const argConditionSchema = z
  .object({
    arg: uint(255, 'the 256th argument'),
    op: z.enum(['equal', 'atMost', 'atLeast', 'oneOf'], { errorMap: () => ({ message: "one of 'equal', 'atMost', 'atLeast', 'oneOf'" }) }),
    values: z.array(wordSchema, { required_error: 'required' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.op === 'oneOf' ? c.values.length === 0 || c.values.length > MAX_ONE_OF : c.values.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: c.op === 'oneOf' ? `oneOf needs 1 to ${MAX_ONE_OF} values` : `${c.op} needs exactly one value`,
      });
    }
  });

const callSchema = z
  .object({
    to: targetSchema,
    selector: selectorSchema,
    args: z.array(argConditionSchema).max(MAX_CONDITIONS_PER_CALL, `more than ${MAX_CONDITIONS_PER_CALL} conditions on one call`).optional(),
  })
  .strict();

const spendSchema = z
  .object({
    token: tokenSchema,
    limit: z
      .bigint({ required_error: 'required', invalid_type_error: 'a bigint' })
      .min(0n, 'negative')
      .max(MAX_UINT96, 'above uint96 (an unlimited amount is refused: grant no spend limit and no call instead)'),
    period: periodSchema,
  })
  .strict();

const rateSchema = z
  .object({
    maxCalls: uint(MAX_UINT32, 'uint32').min(1, "0 means no rate limit onchain: leave 'rate' out"),
    seconds: periodSeconds,
  })
  .strict();

const gasSchema = z
  .object(
    {
      maxFeePerGas: z
        .bigint({ required_error: 'gas caps are mandatory', invalid_type_error: 'a bigint' })
        .min(1n, 'gas caps are mandatory: 0 is none')
        .max(MAX_FEE_PER_GAS, 'above uint48 (281,474 gwei)'),
      maxCostPerOp: z
        .bigint({ required_error: 'gas caps are mandatory', invalid_type_error: 'a bigint' })
        .min(1n, 'gas caps are mandatory: 0 is none')
        .max(MAX_UINT72, 'above uint72'),
      // 0 is what a key that used all its ops decodes to; toPolicies refuses to grant it.
      maxOps: z
        .number({ required_error: 'the op bound is mandatory', invalid_type_error: 'a number' })
        .int('an integer')
        .min(0, 'negative')
        .max(MAX_UINT32, 'above uint32'),
      budget: z.bigint({ invalid_type_error: 'a bigint' }).min(1n, "0 means no budget onchain: leave 'budget' out").max(MAX_UINT96, 'above uint96').optional(),
      paymaster: addressSchema.optional(),
    },
    { required_error: 'gas caps are mandatory', invalid_type_error: 'gas caps are mandatory' },
  )
  .strict();

const baseSchema = z
  .object(
    {
      calls: z.array(callSchema, { required_error: 'required' }).max(MAX_CALLS, `more than ${MAX_CALLS} calls`),
      spend: z.array(spendSchema, { required_error: 'required' }).max(MAX_SPENDS, `more than ${MAX_SPENDS} spend limits`),
      rate: rateSchema.optional(),
      validAfter: uint(MAX_UINT48, 'uint48').optional(),
      expiry: uint(MAX_UINT48, 'uint48').min(1, "0 means no expiry onchain: leave 'expiry' out").optional(),
      gas: gasSchema,
      customs: z.array(addressSchema).max(MAX_CUSTOMS, `more than ${MAX_CUSTOMS} custom policies`).optional(),
    },
    { invalid_type_error: 'a permission object' },
  )
  .strict();

export const permissionSchema: z.ZodType<Permission, z.ZodTypeDef, unknown> = baseSchema
  .superRefine((p, ctx) => {
    p.calls.forEach((c, i) => {
      if (c.to === 'any' && c.selector === 'any') {
        ctx.addIssue({ code: 'custom', path: ['calls', i], message: 'any target with any selector is refused' });
      } else if (c.to === 'any' && c.selector !== 'any' && c.selector !== 'value' && c.selector in MANAGEMENT_SELECTORS) {
        // The hook refuses it too (InvalidPolicy): on any target it would reach modules and accounts.
        ctx.addIssue({
          code: 'custom',
          path: ['calls', i],
          message: `any target with ${MANAGEMENT_SELECTORS[c.selector]}, a module or account management function, is refused: name the target`,
        });
      }
    });
    let conditions = 0;
    const conditioned = new Map<string, number>();
    p.calls.forEach((c, i) => {
      if (!c.args?.length) return;
      conditions += c.args.length;
      if (c.to === 'any' || c.selector === 'any' || c.selector === 'value') {
        ctx.addIssue({ code: 'custom', path: ['calls', i, 'args'], message: 'argument conditions need an exact target and selector' });
      }
      const id = `${c.to}:${c.selector}`;
      if (conditioned.has(id))
        ctx.addIssue({ code: 'custom', path: ['calls', i, 'args'], message: 'the same call listed twice with conditions: list it once' });
      conditioned.set(id, i);
    });
    if (conditions > MAX_CONDITIONS) ctx.addIssue({ code: 'custom', path: ['calls'], message: `more than ${MAX_CONDITIONS} argument conditions` });
    const seen = new Set<string>();
    p.spend.forEach((s, i) => {
      if (seen.has(s.token)) ctx.addIssue({ code: 'custom', path: ['spend', i, 'token'], message: 'token listed twice' });
      seen.add(s.token);
    });
    if (p.expiry !== undefined && p.expiry <= (p.validAfter ?? 0)) {
      ctx.addIssue({ code: 'custom', path: ['expiry'], message: 'expiry <= validAfter' });
    }
  })
  .transform((p): Permission => {
    // One canonical form: fields equal to their onchain default are left out, not set undefined.
    const gas: PermissionGas = { maxFeePerGas: p.gas.maxFeePerGas, maxCostPerOp: p.gas.maxCostPerOp, maxOps: p.gas.maxOps };
    if (p.gas.budget !== undefined) gas.budget = p.gas.budget;
    if (p.gas.paymaster !== undefined && p.gas.paymaster !== zeroAddress) gas.paymaster = p.gas.paymaster;
    const out: Permission = {
      calls: p.calls.map((c) => ({
        to: c.to,
        selector: c.selector,
        ...(c.args?.length && { args: c.args.map((a) => ({ arg: a.arg, op: a.op, values: [...a.values] })) }),
      })),
      spend: p.spend.map((s) => ({ token: s.token, limit: s.limit, period: { ...s.period } })),
      gas,
    };
    if (p.rate) out.rate = { maxCalls: p.rate.maxCalls, seconds: p.rate.seconds };
    if (p.validAfter) out.validAfter = p.validAfter;
    if (p.expiry !== undefined) out.expiry = p.expiry;
    if (p.customs?.length) out.customs = [...p.customs];
    return out;
  });

/** Validates and normalizes; throws PermissionError naming the first bad field. */
export function parsePermission(input: unknown): Permission {
  const r = permissionSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new PermissionError(fieldOf(issue.path), issue.message, { cause: r.error });
}

function fieldOf(path: (string | number)[]): string {
  if (path.length === 0) return 'permission';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
