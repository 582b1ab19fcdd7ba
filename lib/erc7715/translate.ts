// The one place where an ERC-7715 request becomes a Functor `Permission` (STYLE.md, rule 3).
//
// Mapping rules. Every result has the default gas caps for the chain's fees (gasDefaultsFor, from
// `chainFeePerGas`: the op bound included), passes `parsePermission`, and never lets the
// key do more than the request asked for; where Functor cannot say exactly what was asked, it
// says something stricter, reports `exact: false` and explains it in `notes`.
//
//  1. native-token-periodic {periodAmount, periodDuration, startTime?}
//       spend  native, limit periodAmount, FIXED period {seconds: periodDuration,
//              start: startTime ?? now}: per calendar period, resetting at each period start, as
//              MetaMask's enforcer does (so up to twice the amount can move around a reset; a
//              sliding "any N hours" would be stricter, but would break subscriptions that pay at
//              each period start). Nothing moves before `start` (the hook reverts
//              PeriodNotStarted).
//       calls  [{to: 'any', selector: 'value'}]: plain transfers with empty calldata, as
//              MetaMask's native types (they pin the calldata to 0x).
//  2. erc20-token-periodic: the same spend on `tokenAddress`; calls [{to: tokenAddress,
//       selector: transfer(address,uint256)}] and nothing else (no approve: an approval is a spend
//       that outlives the period).
//  3. native-token-allowance / erc20-token-allowance {allowanceAmount, startTime?}: the calls of
//       1 and 2, and a FIXED period of 2^32-1 seconds (136 years) from startTime ?? now: a
//       lifetime allowance that never resets.
//  4. native-token-stream / erc20-token-stream {initialAmount = 0, maxAmount = none,
//       amountPerSecond, startTime ?? now}: the calls of 1 and 2, and a window no stream can be
//       turned into exactly; see `streamSpend` for the conservative mapping and its proof.
//  5. functor-calls {calls: [{to: address | 'any', selector?, args?}]}: those calls (no selector:
//       any function of that target; a signature is hashed to its selector), with their argument
//       conditions (args: [{arg, op, values: 32-byte words}], enforced onchain); no spend limit.
//  6. rules. expiry {timestamp} → `expiry` (must be in the future; an earlier end derived from a
//       stream's cap wins). No expiry rule → no expiry: the approval window warns. payee
//       {addresses} → native types: plain transfers to those addresses instead of 'any'; ERC-20
//       types: the token's transfer with its recipient (argument 0) one of those addresses, an
//       argument condition the hook enforces (at most 16; functor-calls: UNSUPPORTED, conditions go
//       on its calls). redeemer {addresses} →
//       accepted when it names `to`, the only account that can ever act under Functor, else
//       UNSUPPORTED. Any other rule → UNSUPPORTED (an unknown rule may be a restriction).
//  7. Amounts are 0x-hex uint256: 0 is refused (grants nothing), above uint96 is refused ("too
//       large to enforce"), and max uint256, the "unlimited" sentinel, is refused with its own
//       message. The exception is a stream's `maxAmount`, a cap: any value is accepted (max
//       uint256 is the kit's documented default, "no cap").
//  8. `chainId` is parsed and returned, never compared: the caller knows the current chain.
//  9. One request element is one Permission. Elements for one key are combined with
//       `mergePermissions`: calls and spends unioned, the latest validAfter, the earliest expiry.
// 10. wallet_grantPermissions (the earlier draft) maps onto the same rules: native-token-transfer
//       and erc20-token-transfer with a token-allowance policy → rule 3 from now; contract-call
//       {address, calls} → those functions of that contract; the ERC-7715 types above are accepted
//       in it too. Policies gas-limit → the key's gas budget, rate-limit → the key's rate limit
//       (both are per key in Functor, so combined permissions keep the strictest).
import { formatUnits, getAddress, parseAbiItem, toFunctionSelector, type AbiFunction, type Address, type Hex } from 'viem';
import { ANY_SELECTOR, MAX_CALLS, MAX_ONE_OF, MAX_UINT32, MAX_UINT48, MAX_UINT96, VALUE_SELECTOR } from '../permissions/constants.js';
import { formatDate, type TokenInfos } from '../permissions/describe.js';
import { PermissionError } from '../permissions/errors.js';
import { gasDefaultsFor } from '../permissions/gasDefaults.js';
import {
  addressWord,
  parsePermission,
  selectorOf,
  type Permission,
  type PermissionCall,
  type PermissionGas,
  type PermissionRate,
  type PermissionSpend,
  type Period,
  type Selector,
} from '../permissions/types.js';
import { invalid, PermissionRequestError, unsupported } from './errors.js';
import { amountMarker, formatAmount } from './notes.js';
import {
  addressSchema,
  draftDataSchemas,
  draftPolicySchemas,
  executionPermissionRequestSchema,
  isDraftPermissionType,
  isDraftPolicyType,
  isPermissionType,
  isRuleType,
  parseGrantPermissionsParams,
  parseWith,
  permissionDataSchemas,
  PERMISSION_TYPES,
  REFUSED_TYPES,
  ruleDataSchemas,
  type ExecutionPermissionRequest,
  type GrantPermissionsRequest,
  type PermissionData,
  type PermissionType,
} from './schema.js';

export type TranslateOptions = {
  /** Unix seconds: the default start of periods and streams, and what "already past" means. */
  now: number;
  /** Symbols and decimals for the notes (keys lowercase, 'native' for the chain coin). */
  tokens?: TokenInfos;
  /**
   * Leave the notes' amounts as markers (notes.ts renders them later with the tokens known then):
   * the notes are then data, worked out once when the request arrives.
   */
  amountMarkers?: boolean;
  /** The window a stream is enforced over, in seconds (default: 1 day). */
  streamWindow?: number;
  /**
   * The chain's maxFeePerGas when the request arrived (wei; chainFeePerGas): the default gas caps
   * derive from it. Kept with the request, so the approval shows what will be granted.
   */
  chainFeePerGas: bigint;
};

export type Translation = {
  permission: Permission;
  /** What a person should know about how the request is enforced, one sentence each. */
  notes: string[];
  /** false when Functor enforces something stricter than asked (streams). */
  exact: boolean;
  type: PermissionType;
  /** The chain the request names (not checked here). */
  chainId: number;
  /** The session account that receives the permission: the key's signer. */
  to: Address;
  /** The account the dapp asks for, if it named one. */
  from?: Address;
  isAdjustmentAllowed: boolean;
  justification?: string;
  /** The request as validated, for the answer (response.ts). */
  request: ExecutionPermissionRequest;
};

export type GrantTranslation = {
  permission: Permission;
  notes: string[];
  exact: boolean;
  /** The chain the request names, when it names one (viem does not). */
  chainId?: number;
  to: Address;
  from?: Address;
  request: GrantPermissionsRequest;
};

const DAY = 86_400;
/** A fixed period this long never resets in practice: a lifetime allowance. */
export const LIFETIME = MAX_UINT32;
const TRANSFER = selectorOf('transfer(address,uint256)');

// ---------------------------------------------------------------------------------------------
// wallet_requestExecutionPermissions
// ---------------------------------------------------------------------------------------------

/**
 * One element of `wallet_requestExecutionPermissions` → a Permission for the key of `to`.
 * Throws PermissionRequestError (INVALID_PARAMS or UNSUPPORTED) naming the field.
 */
export function toPermission(request: unknown, options: TranslateOptions): Translation {
  const ctx = context(options);
  const r = parseWith(executionPermissionRequestSchema, request, '');
  const to = getAddress(r.to ?? r.signer!.data.address);
  const fromRaw = r.from ?? r.address;
  const from = fromRaw ? getAddress(fromRaw) : undefined;
  if (from === to) throw invalid('to', 'is the account itself: the permission must go to a session account');

  const type = r.permission.type;
  if (!isPermissionType(type)) {
    throw unsupported('permission.type', REFUSED_TYPES[type] ?? `'${type}' is not a permission type Functor grants (${PERMISSION_TYPES.join(', ')})`);
  }
  const part = grantOf(type, r.permission.data, 'permission.data', ctx);
  const notes = [...part.notes];

  // Rules.
  let expiry: number | undefined;
  let expiryField = 'rules';
  const seen = new Set<string>();
  (r.rules ?? []).forEach((rule, i) => {
    const field = `rules[${i}]`;
    if (!isRuleType(rule.type)) {
      throw unsupported(`${field}.type`, `the rule '${rule.type}' is not one Functor enforces (expiry, payee, redeemer)`);
    }
    if (seen.has(rule.type)) throw invalid(`${field}.type`, `a second '${rule.type}' rule`);
    seen.add(rule.type);
    if (rule.type === 'expiry') {
      const { timestamp } = parseWith(ruleDataSchemas.expiry, rule.data, `${field}.data`);
      if (timestamp <= ctx.now) throw invalid(`${field}.data.timestamp`, `already past (${formatDate(timestamp)})`);
      expiry = timestamp;
      expiryField = `${field}.data.timestamp`;
    } else if (rule.type === 'payee') {
      const { addresses } = parseWith(ruleDataSchemas.payee, rule.data, `${field}.data`);
      if (type === 'functor-calls') {
        throw unsupported(`${field}.type`, 'a payee rule is for token types: on functor-calls, put argument conditions on the calls');
      }
      const payees = [...new Set(addresses.map((a) => getAddress(a)))];
      if (type.startsWith('native-')) {
        part.calls = payees.map((p) => ({ to: p, selector: 'value' as const }));
      } else {
        // ERC-20: the token's transfer, its recipient (argument 0) one of the payees, enforced onchain.
        if (payees.length > MAX_ONE_OF) throw unsupported(`${field}.data.addresses`, `at most ${MAX_ONE_OF} payees for an ERC-20 type`);
        part.calls = part.calls.map((c) => ({ ...c, args: [{ arg: 0, op: 'oneOf' as const, values: payees.map(addressWord) }] }));
      }
      notes.push(`May send only to ${payees.join(', ')}`);
    } else {
      const { addresses } = parseWith(ruleDataSchemas.redeemer, rule.data, `${field}.data`);
      if (!addresses.some((a) => getAddress(a) === to)) {
        throw unsupported(`${field}.data.addresses`, 'under Functor only the session account `to` can act on a permission: a redeemer rule must name it');
      }
    }
  });

  const end = earliest(expiry, part.expiry);
  if (part.expiry !== undefined && part.expiry === end && part.expiry !== expiry) {
    notes.push(`Ends ${formatDate(part.expiry)}, when the stream's cap could have been reached`);
  }
  if (end === undefined) notes.push('No expiry: the permission lasts until it is revoked');
  if (end !== undefined && part.validAfter !== undefined && end <= part.validAfter) {
    throw invalid(expiryField, `ends before the stream has accrued one window (${formatDate(part.validAfter)}): it could never be used`);
  }
  if (end !== undefined) refuseEndBeforeStart(part.spend, end, expiryField);
  const isAdjustmentAllowed = r.permission.isAdjustmentAllowed ?? false;
  if (!part.exact && !isAdjustmentAllowed) {
    notes.push('The dapp did not allow adjustments: what is enforced is stricter than what it asked for');
  }

  const permission = assemble({ ...part, expiry: end }, {}, 'permission', ctx);
  return {
    permission,
    notes,
    exact: part.exact,
    type,
    chainId: Number(BigInt(r.chainId)),
    to,
    ...(from && { from }),
    isAdjustmentAllowed,
    ...(part.justification && { justification: part.justification }),
    request: r,
  };
}

/** All elements of `wallet_requestExecutionPermissions`; errors are located as `[i].field`. */
export function translateExecutionPermissions(params: unknown, options: TranslateOptions): Translation[] {
  if (!Array.isArray(params)) throw invalid('params', 'expected an array of permission requests');
  if (params.length === 0) throw invalid('params', 'empty: no permission requested');
  return params.map((p, i) => {
    try {
      return toPermission(p, options);
    } catch (e) {
      if (e instanceof PermissionRequestError) throw e.within(`[${i}]`);
      throw e;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// One permission type → calls and spend
// ---------------------------------------------------------------------------------------------

type Ctx = { now: number; tokens: TokenInfos; window: number; fee: bigint; markers: boolean };

/** What one permission grants, before rules and gas. */
type Part = {
  calls: PermissionCall[];
  spend: PermissionSpend[];
  validAfter?: number;
  expiry?: number;
  notes: string[];
  exact: boolean;
  justification?: string;
};

function context({ now, tokens = {}, streamWindow = DAY, chainFeePerGas, amountMarkers = false }: TranslateOptions): Ctx {
  if (typeof chainFeePerGas !== 'bigint' || chainFeePerGas < 0n) throw new RangeError('chainFeePerGas: not a fee in wei');
  if (!Number.isSafeInteger(now) || now < 0 || now > MAX_UINT32) throw new RangeError('now: not unix seconds');
  if (!Number.isSafeInteger(streamWindow) || streamWindow < 1 || streamWindow > MAX_UINT32) {
    throw new RangeError('streamWindow: not a number of seconds in uint32');
  }
  return { now, tokens, window: streamWindow, fee: chainFeePerGas, markers: amountMarkers };
}

function grantOf(type: PermissionType, raw: unknown, field: string, ctx: Ctx): Part {
  switch (type) {
    case 'native-token-periodic':
    case 'erc20-token-periodic': {
      const d: PermissionData<'erc20-token-periodic' | 'native-token-periodic'> = parseWith(permissionDataSchemas[type], raw, field);
      const token = tokenOf(d);
      const start = d.startTime ?? ctx.now;
      const notes = [
        `${amount(d.periodAmount, token, ctx)} per period of ${duration(d.periodDuration)} from ${formatDate(start)}: ` +
          `per calendar period, resetting at each period start (not "in any ${duration(d.periodDuration)}": ` +
          'up to twice as much can move around a reset)',
      ];
      if (start > ctx.now) notes.push(`Nothing can be spent before ${formatDate(start)}`);
      return {
        calls: callsFor(token),
        spend: [{ token, limit: d.periodAmount, period: { kind: 'fixed', seconds: d.periodDuration, start } }],
        notes,
        exact: true,
        ...just(d.justification),
      };
    }
    case 'native-token-allowance':
    case 'erc20-token-allowance': {
      const d: PermissionData<'erc20-token-allowance' | 'native-token-allowance'> = parseWith(permissionDataSchemas[type], raw, field);
      const token = tokenOf(d);
      const start = d.startTime ?? ctx.now;
      const notes = [`${amount(d.allowanceAmount, token, ctx)} in total, never reset`];
      if (start > ctx.now) notes.push(`Nothing can be spent before ${formatDate(start)}`);
      return {
        calls: callsFor(token),
        spend: [{ token, limit: d.allowanceAmount, period: { kind: 'fixed', seconds: LIFETIME, start } }],
        notes,
        exact: true,
        ...just(d.justification),
      };
    }
    case 'native-token-stream':
    case 'erc20-token-stream': {
      const d: PermissionData<'erc20-token-stream' | 'native-token-stream'> = parseWith(permissionDataSchemas[type], raw, field);
      const token = tokenOf(d);
      const terms: StreamTerms = {
        amountPerSecond: d.amountPerSecond,
        initialAmount: d.initialAmount ?? 0n,
        ...(d.maxAmount != null && { maxAmount: d.maxAmount }),
        start: d.startTime ?? ctx.now,
      };
      const s = streamSpend(terms, ctx.window, field);
      return {
        calls: callsFor(token),
        spend: [{ token, limit: s.limit, period: s.period }],
        ...(s.usableFrom > ctx.now && s.period.kind === 'sliding' && { validAfter: s.usableFrom }),
        ...(s.expiry !== undefined && { expiry: s.expiry }),
        notes: streamNotes(terms, s, token, ctx),
        exact: false,
        ...just(d.justification),
      };
    }
    case 'functor-calls': {
      const d: PermissionData<'functor-calls'> = parseWith(permissionDataSchemas[type], raw, field);
      if (d.calls.length > MAX_CALLS) throw invalid(`${field}.calls`, `more than ${MAX_CALLS} calls`);
      const calls = d.calls.map((c, i): PermissionCall => {
        const to = c.to === 'any' ? 'any' : getAddress(c.to);
        const selector = selectorFrom(c.selector, `${field}.calls[${i}].selector`);
        if (to === 'any' && selector === 'any') {
          throw invalid(`${field}.calls[${i}]`, 'any target with any function is refused: name the target or the function');
        }
        const args = c.args?.map((a) => ({ arg: a.arg, op: a.op, values: a.values.map((v) => v.toLowerCase() as Hex) }));
        return { to, selector, ...(args?.length && { args }) };
      });
      const notes = calls.some((c) => c.args) ? ['Argument conditions are checked onchain on every call'] : [];
      return { calls: dedupeCalls(calls), spend: [], notes, exact: true, ...just(d.justification) };
    }
  }
}

/** A fixed period that starts after the end could never be used: say so rather than grant it. */
function refuseEndBeforeStart(spend: PermissionSpend[], end: number, field: string): void {
  for (const s of spend) {
    if (s.period.kind === 'fixed' && s.period.start > end) {
      throw invalid(field, `ends before spending can start (${formatDate(s.period.start)}): it could never be used`);
    }
  }
}

function tokenOf(d: object): Address | 'native' {
  return 'tokenAddress' in d ? getAddress(d.tokenAddress as Address) : 'native';
}

function callsFor(token: Address | 'native'): PermissionCall[] {
  return token === 'native' ? [{ to: 'any', selector: 'value' }] : [{ to: token, selector: TRANSFER }];
}

function just(j: string | null | undefined): { justification?: string } {
  return j ? { justification: j } : {};
}

function selectorFrom(s: string | undefined, field: string): Selector {
  if (s === undefined || s === 'any') return 'any';
  if (s === 'value') return 'value';
  if (/^0x[0-9a-fA-F]{8}$/.test(s)) {
    const sel = s.toLowerCase() as `0x${string}`;
    if (sel === ANY_SELECTOR) throw invalid(field, "0xffffffff means any function onchain: write 'any'");
    if (sel === VALUE_SELECTOR) throw invalid(field, "0x00000000 means a plain transfer onchain: write 'value'");
    return sel;
  }
  if (s.includes('(')) {
    const src = s.trim().startsWith('function ') ? s.trim() : `function ${s.trim()}`;
    let item: AbiFunction;
    try {
      item = parseAbiItem(src as string) as AbiFunction;
    } catch (e) {
      throw invalid(field, `not a function signature (${s})`, e);
    }
    if (item?.type !== 'function') throw invalid(field, `not a function signature (${s})`);
    return toFunctionSelector(item);
  }
  throw invalid(field, "not a 4-byte selector, a function signature, 'any' or 'value'");
}

function dedupeCalls(calls: PermissionCall[]): PermissionCall[] {
  const seen = new Set<string>();
  return calls.filter((c) => {
    // (the same call with other conditions stays: parsePermission refuses it, a union is not expressible)
    const k = `${c.to === 'any' ? 'any' : c.to.toLowerCase()}:${c.selector}:${JSON.stringify(c.args ?? [])}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Streams
// ---------------------------------------------------------------------------------------------

export type StreamTerms = {
  amountPerSecond: bigint;
  initialAmount: bigint;
  /** The stream's total cap; undefined: none. */
  maxAmount?: bigint;
  /** Unix seconds. */
  start: number;
};

export type StreamSpend = {
  limit: bigint;
  period: Period;
  /** The first moment the window may be used (before it, the stream has not accrued `limit`). */
  usableFrom: number;
  /** The moment after which the window could let out more than the stream's cap. */
  expiry?: number;
};

/**
 * A stream lets the cumulative spend reach A(t) = min(M, I + r·(t − s)) at t ≥ s, nothing before
 * s, and carries unspent accrual over. No window equals that. A window of limit L over T seconds,
 * usable from a, lets out at most C(t) = L·(⌊(t − a)/T⌋ + 1) by any t ≥ a (L at a, L at a + T,
 * ...: any span [a, t] is covered by that many spans of T, each holding at most L; the hook's
 * buckets refuse earlier still). The mapping keeps C(t) ≤ A(t) for every t, so no sequence of
 * spends Functor admits is one the stream would refuse:
 *
 * - The cap is reached within one window (M ≤ r·T): a one-time allowance of M, usable from
 *   a = s + ⌈(M − I)/r⌉, when the stream has accrued all of it: C(t) = M ≤ A(t) for t ≥ a. The
 *   start is the allowance's own (a fixed period), so it delays nothing else the key may do.
 * - Otherwise a sliding window of L = r·T, usable from a = s + ⌈max(0, L − I)/r⌉: at t = a + kT,
 *   C = L(k+1) = L + k·r·T ≤ (I + r(a − s)) + r·kT = A(t) (uncapped), and C is flat between
 *   those points while A grows. L = r·T is the largest limit that holds for every k (as k grows,
 *   A/(k+1) tends to r·T); the initial amount only shortens the wait. With a cap M, at most
 *   n = ⌊M/L⌋ windows fit under it, so the permission ends at a + n·T − 1 (C ≤ n·L ≤ M until
 *   then). Both `a` and that end are key-wide (validAfter, expiry): when merged with other
 *   permissions of the same key, they bound those too.
 *
 * The price: accrual the agent does not spend within a window is lost, an initial amount above
 * one window's worth cannot move in one go, and a stream with no initial amount is usable only
 * once a window's worth has accrued.
 */
export function streamSpend(t: StreamTerms, window: number, field = 'permission.data'): StreamSpend {
  const r = t.amountPerSecond;
  const I = t.initialAmount;
  const M = t.maxAmount;
  if (r <= 0n) throw invalid(`${field}.amountPerSecond`, '0 grants nothing');
  const perWindow = r * BigInt(window);

  if (M !== undefined && M <= perWindow) {
    if (M > MAX_UINT96) throw invalid(`${field}.maxAmount`, 'amount too large to enforce (above uint96, 7.9e28 base units)');
    const a = t.start + Number(ceilDiv(max0(M - I), r));
    if (a > MAX_UINT32) throw invalid(`${field}.startTime`, 'the stream fills up after 2106');
    return { limit: M, period: { kind: 'fixed', seconds: LIFETIME, start: a }, usableFrom: a };
  }

  if (perWindow > MAX_UINT96) {
    throw invalid(`${field}.amountPerSecond`, `amount too large to enforce: ${duration(window)} of the stream is above uint96 (7.9e28 base units)`);
  }
  const a = t.start + Number(ceilDiv(max0(perWindow - I), r));
  const out: StreamSpend = { limit: perWindow, period: { kind: 'sliding', seconds: window }, usableFrom: a };
  if (M !== undefined) {
    const end = BigInt(a) + (M / perWindow) * BigInt(window) - 1n;
    if (end <= BigInt(MAX_UINT48)) out.expiry = Number(end);
  }
  return out;
}

function streamNotes(t: StreamTerms, s: StreamSpend, token: Address | 'native', ctx: Ctx): string[] {
  const amt = (v: bigint) => amount(v, token, ctx);
  let asked = `Stream of ${amt(t.amountPerSecond)} per second`;
  if (t.initialAmount > 0n) asked += `, ${amt(t.initialAmount)} at the start`;
  if (t.maxAmount !== undefined) asked += `, ${amt(t.maxAmount)} at most`;
  const notes: string[] = [];
  if (s.period.kind === 'fixed') {
    notes.push(
      `${asked}: it reaches its cap within ${duration(ctx.window)}, so it is enforced as a one-time allowance ` +
        `of ${amt(s.limit)}, usable from ${formatDate(s.usableFrom)}, when all of it has accrued`,
    );
    return notes;
  }
  let how = `${asked}: enforced as at most ${amt(s.limit)} in any ${duration(ctx.window)} (one window of the stream)`;
  if (s.usableFrom > ctx.now) how += `, from ${formatDate(s.usableFrom)}, once that much has accrued`;
  notes.push(`${how}. What is not spent within a window does not carry over, so no more moves than the stream allows`);
  if (t.initialAmount > s.limit) {
    notes.push(`The initial ${amt(t.initialAmount)} cannot move in one go: at most ${amt(s.limit)} per window`);
  }
  return notes;
}

function ceilDiv(x: bigint, y: bigint): bigint {
  return x === 0n ? 0n : (x + y - 1n) / y;
}

function max0(x: bigint): bigint {
  return x > 0n ? x : 0n;
}

// ---------------------------------------------------------------------------------------------
// Combining permissions of one key
// ---------------------------------------------------------------------------------------------

/**
 * Two permissions for one key as one: calls and spends unioned (one limit per token: two limits
 * on a token with the same period add up, as two separate grants would; different periods are
 * refused), customs unioned (each one only restricts), and the stricter of the key-wide parts:
 * the latest validAfter, the earliest expiry, the lower gas caps and budget, a rate of the fewer
 * calls over the longer period.
 */
export function mergePermissions(a: Permission, b: Permission): Permission {
  const spend: PermissionSpend[] = [];
  for (const s of [...a.spend, ...b.spend]) {
    const i = spend.findIndex((x) => x.token === s.token);
    if (i < 0) {
      spend.push({ ...s, period: { ...s.period } });
      continue;
    }
    const prev = spend[i]!;
    if (!samePeriod(prev.period, s.period)) {
      throw invalid('spend', `two limits on ${s.token} with different periods: a key holds one limit per token (grant them to different session accounts)`);
    }
    spend[i] = { ...prev, limit: prev.limit + s.limit };
  }
  if (a.gas.paymaster && b.gas.paymaster && a.gas.paymaster !== b.gas.paymaster) {
    throw invalid('gas.paymaster', 'two different paymasters: a key may list one');
  }
  const gas: PermissionGas = {
    maxFeePerGas: min(a.gas.maxFeePerGas, b.gas.maxFeePerGas),
    maxCostPerOp: min(a.gas.maxCostPerOp, b.gas.maxCostPerOp),
    maxOps: Math.min(a.gas.maxOps, b.gas.maxOps),
  };
  const budget = a.gas.budget === undefined ? b.gas.budget : b.gas.budget === undefined ? a.gas.budget : min(a.gas.budget, b.gas.budget);
  if (budget !== undefined) gas.budget = budget;
  const paymaster = a.gas.paymaster ?? b.gas.paymaster;
  if (paymaster) gas.paymaster = paymaster;

  const merged: Permission = { calls: dedupeCalls([...a.calls, ...b.calls]), spend, gas };
  const rate = stricterRate(a.rate, b.rate);
  if (rate) merged.rate = rate;
  const validAfter = Math.max(a.validAfter ?? 0, b.validAfter ?? 0);
  if (validAfter) merged.validAfter = validAfter;
  const expiry = earliest(a.expiry, b.expiry);
  if (expiry !== undefined) merged.expiry = expiry;
  const customs = [...new Set([...(a.customs ?? []), ...(b.customs ?? [])])];
  if (customs.length) merged.customs = customs;
  return assembleChecked(merged, 'permission');
}

function samePeriod(x: Period, y: Period): boolean {
  if (x.kind !== y.kind || x.seconds !== y.seconds) return false;
  return x.kind === 'sliding' || (y.kind === 'fixed' && x.start === y.start);
}

function stricterRate(x?: PermissionRate, y?: PermissionRate): PermissionRate | undefined {
  if (!x || !y) return x ?? y;
  return { maxCalls: Math.min(x.maxCalls, y.maxCalls), seconds: Math.max(x.seconds, y.seconds) };
}

function min(x: bigint, y: bigint): bigint {
  return x < y ? x : y;
}

function earliest(x?: number, y?: number): number | undefined {
  if (x === undefined) return y;
  if (y === undefined) return x;
  return Math.min(x, y);
}

// ---------------------------------------------------------------------------------------------
// wallet_grantPermissions (the earlier draft, viem/experimental)
// ---------------------------------------------------------------------------------------------

/** `wallet_grantPermissions` params → one Permission for the signer's key. */
export function translateGrantPermissions(params: unknown, options: TranslateOptions): GrantTranslation {
  const ctx = context(options);
  const req = parseGrantPermissionsParams(params);
  const at = Array.isArray(params) ? '[0].' : '';

  const to = draftSigner(req, at);
  const from = req.address ? getAddress(req.address) : undefined;
  if (from === to) throw invalid(`${at}signer`, 'is the account itself: the permissions must go to a session account');
  if (req.expiry <= ctx.now) throw invalid(`${at}expiry`, `already past (${formatDate(req.expiry)})`);

  const notes: string[] = [];
  let exact = true;
  let merged: Permission | undefined;
  req.permissions.forEach((p, i) => {
    const field = `${at}permissions[${i}]`;
    const { part, rate, budget } = draftPart(p, field, ctx);
    notes.push(...part.notes);
    exact &&= part.exact;
    const one = assemble(part, { rate, budget }, field, ctx);
    try {
      merged = merged ? mergePermissions(merged, one) : one;
    } catch (e) {
      if (e instanceof PermissionRequestError) throw e.within(field);
      throw e;
    }
  });
  const end = earliest(merged!.expiry, req.expiry)!;
  if (end < req.expiry) notes.push(`Ends ${formatDate(end)}, when the stream's cap could have been reached`);
  if (merged!.validAfter !== undefined && end <= merged!.validAfter) {
    throw invalid(`${at}expiry`, `ends before the stream has accrued one window (${formatDate(merged!.validAfter)})`);
  }
  refuseEndBeforeStart(merged!.spend, end, `${at}expiry`);
  if (req.expiry > 1e11) notes.push('The expiry is more than 3,000 years away: it may have been sent in milliseconds');
  // The op bound and per-op cost depend on the final calls, rate and expiry: computed again.
  const final = { ...merged!, expiry: end };
  const permission = assembleChecked({ ...final, gas: { ...final.gas, ...defaultGasOf(final, ctx) } }, 'permission');
  return {
    permission,
    notes,
    exact,
    ...(req.chainId !== undefined && { chainId: Number(BigInt(req.chainId)) }),
    to,
    ...(from && { from }),
    request: req,
  };
}

function draftSigner(req: GrantPermissionsRequest, at: string): Address {
  const s = req.signer;
  if (!s) {
    throw invalid(`${at}signer`, "required: the session account ({ type: 'account', data: { id } }) that receives the permissions");
  }
  if (s.type !== 'account') {
    throw unsupported(
      `${at}signer.type`,
      `a '${s.type}' signer is not supported: Functor grants permissions to a session account ({ type: 'account', data: { id } })`,
    );
  }
  const id = s.data?.id ?? s.data?.address;
  return getAddress(parseWith(addressSchema, id, `${at}signer.data.id`));
}

function draftPart(p: GrantPermissionsRequest['permissions'][number], field: string, ctx: Ctx): { part: Part; rate?: PermissionRate; budget?: bigint } {
  let rate: PermissionRate | undefined;
  let budget: bigint | undefined;
  let allowance: bigint | undefined;
  const seen = new Set<string>();
  p.policies.forEach((pol, j) => {
    const pf = `${field}.policies[${j}]`;
    if (!isDraftPolicyType(pol.type)) {
      throw unsupported(`${pf}.type`, `the policy '${pol.type}' is not one Functor enforces (token-allowance, gas-limit, rate-limit)`);
    }
    if (seen.has(pol.type)) throw invalid(`${pf}.type`, `a second '${pol.type}' policy`);
    seen.add(pol.type);
    if (pol.type === 'token-allowance') {
      allowance = parseWith(draftPolicySchemas['token-allowance'], pol.data, `${pf}.data`).allowance;
      if (p.type !== 'native-token-transfer' && p.type !== 'erc20-token-transfer') {
        throw invalid(`${pf}.type`, 'a token-allowance applies to native-token-transfer and erc20-token-transfer only');
      }
    } else if (pol.type === 'gas-limit') {
      budget = parseWith(draftPolicySchemas['gas-limit'], pol.data, `${pf}.data`).limit;
    } else {
      const d = parseWith(draftPolicySchemas['rate-limit'], pol.data, `${pf}.data`);
      rate = { maxCalls: d.count, seconds: d.interval };
    }
  });

  let part: Part;
  if (isPermissionType(p.type)) {
    part = grantOf(p.type, p.data, `${field}.data`, ctx);
  } else if (isDraftPermissionType(p.type)) {
    if (p.type === 'contract-call') {
      const d = parseWith(draftDataSchemas['contract-call'], p.data, `${field}.data`);
      if (d.calls.length > MAX_CALLS) throw invalid(`${field}.data.calls`, `more than ${MAX_CALLS} functions`);
      const target = getAddress(d.address);
      const calls = d.calls.map((sig, k) => ({ to: target, selector: selectorFrom(sig, `${field}.data.calls[${k}]`) }));
      if (calls.some((c) => c.selector === 'value')) {
        throw invalid(`${field}.data.calls`, "'value' is not a function: ask for native-token-transfer");
      }
      part = { calls: dedupeCalls(calls), spend: [], notes: [], exact: true };
    } else {
      const token =
        p.type === 'native-token-transfer'
          ? (parseWith(draftDataSchemas['native-token-transfer'], p.data, `${field}.data`), 'native' as const)
          : getAddress(parseWith(draftDataSchemas['erc20-token-transfer'], p.data, `${field}.data`).address);
      if (allowance === undefined) {
        throw invalid(`${field}.policies`, 'a token-allowance policy is required: an unlimited transfer permission is refused');
      }
      part = {
        calls: callsFor(token),
        spend: [{ token, limit: allowance, period: { kind: 'fixed', seconds: LIFETIME, start: ctx.now } }],
        notes: [`${amount(allowance, token, ctx)} in total, never reset`],
        exact: true,
      };
    }
  } else {
    throw unsupported(
      `${field}.type`,
      REFUSED_TYPES[p.type] ??
        `'${p.type}' is not a permission type Functor grants (native-token-transfer, erc20-token-transfer, contract-call, ${PERMISSION_TYPES.join(', ')})`,
    );
  }
  if (rate) part.notes.push(`At most ${rate.maxCalls} calls in any ${duration(rate.seconds)}, for the whole key`);
  return { part, ...(rate && { rate }), ...(budget !== undefined && { budget }) };
}

// ---------------------------------------------------------------------------------------------
// Assembling a Permission
// ---------------------------------------------------------------------------------------------

function assemble(part: Part, extra: { rate?: PermissionRate; budget?: bigint }, field: string, ctx: Ctx): Permission {
  const p: Permission = { calls: part.calls, spend: part.spend, gas: { maxFeePerGas: 0n, maxCostPerOp: 0n, maxOps: 0 } };
  if (extra.rate) p.rate = extra.rate;
  if (part.validAfter !== undefined) p.validAfter = part.validAfter;
  if (part.expiry !== undefined) p.expiry = part.expiry;
  p.gas = defaultGasOf(p, ctx);
  if (extra.budget !== undefined) p.gas.budget = extra.budget;
  return assembleChecked(p, field);
}

/** The default gas caps for `p` (any account kind: the accounts are chosen in the approval). */
function defaultGasOf(p: Permission, ctx: Ctx): PermissionGas {
  return gasDefaultsFor({
    chainFeePerGas: ctx.fee,
    calls: p.calls.length,
    ...(p.rate && { rate: p.rate }),
    ...(p.validAfter !== undefined && { validAfter: p.validAfter }),
    ...(p.expiry !== undefined && { expiry: p.expiry }),
    now: ctx.now,
  });
}

/** parsePermission, its refusals turned into INVALID_PARAMS. */
function assembleChecked(p: Permission, field: string): Permission {
  try {
    return parsePermission(p);
  } catch (e) {
    if (e instanceof PermissionError) throw invalid(field, `${e.field}: ${e.reason}`, e);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Words for the notes
// ---------------------------------------------------------------------------------------------

function amount(v: bigint, token: Address | 'native', ctx: Ctx): string {
  return ctx.markers ? amountMarker(v, token) : formatAmount(v, token, ctx.tokens);
}

function duration(s: number): string {
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  if (s % DAY === 0) return unit(s / DAY, 'day');
  if (s % 3600 === 0) return unit(s / 3600, 'hour');
  if (s % 60 === 0) return unit(s / 60, 'minute');
  return unit(s, 'second');
}
