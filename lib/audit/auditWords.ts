// KeyExecuted's packed words (FunctorPolicyHook; the layout bit by bit in contracts/README.md,
// "The audit event"). The event logs words rather than ABI structs, in one array, because every
// byte logged costs the account 8 gas on every execution by a key.
import type { Address, Hex } from 'viem';
import { getAddress, numberToHex, pad, toHex } from 'viem';

export type AuditCall = { target: Address; selector: Hex; value: bigint };
export type AuditSpend = { token: Address; counted: bigint; used: bigint; limit: bigint };

const HAS_VALUE = 1n;
const U96 = (1n << 96n) - 1n;
const U128 = (1n << 128n) - 1n;

/** A word that does not follow the layout: an event not emitted by Functor's hook. */
export class AuditWordsError extends Error {
  override name = 'AuditWordsError';
}

const word = (w: bigint): Hex => pad(toHex(w), { size: 32 });

const U62 = (1n << 62n) - 1n;
/** Bit 63 of a call word: the last call word of the record (the spends follow it and its value word). */
const LAST = 1n << 63n;
/** More calls than a transaction can carry: a repeat count this high is not the hook's. */
const MAX_REPEAT = 1n << 24n;

/**
 * KeyExecuted's `record`: the call words, up to the one marked last (and its value word), then the
 * spend words; an empty record is an empty batch (no call, nothing counted).
 */
export function decodeRecord(record: readonly Hex[]): { calls: AuditCall[]; spends: AuditSpend[] } {
  let n = 0;
  for (;;) {
    if (n >= record.length) {
      if (record.length === 0) return { calls: [], spends: [] };
      throw new AuditWordsError('no call word is marked last');
    }
    const w = BigInt(record[n]!);
    n += (w & HAS_VALUE) === HAS_VALUE ? 2 : 1;
    if ((w & LAST) === LAST) break;
  }
  if (n > record.length) throw new AuditWordsError('the last call word announces a value word that is not there');
  return { calls: decodeCalls(record.slice(0, n)), spends: decodeSpends(record.slice(n)) };
}

/**
 * Per call: target (160) ‖ selector (32) ‖ last (1) ‖ repeat (62) ‖ hasValue (1), then the value
 * when hasValue. A word stands for 1 + repeat calls in a row (the hook logs a run of one target and
 * selector without value as one word); the list returned has one entry per call. `last` may mark
 * only the final call word.
 */
export function decodeCalls(words: readonly Hex[]): AuditCall[] {
  const out: AuditCall[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = BigInt(words[i]!);
    const repeat = (w >> 1n) & U62;
    if (repeat >= MAX_REPEAT) throw new AuditWordsError(`call word ${i} repeats ${repeat} times, more than any execution holds`);
    const hasValue = (w & HAS_VALUE) === HAS_VALUE;
    if (hasValue && i + 1 >= words.length) throw new AuditWordsError(`call word ${i} announces a value word that is not there`);
    if ((w & LAST) === LAST && i + (hasValue ? 2 : 1) < words.length) throw new AuditWordsError(`call word ${i} is marked last but more calls follow`);
    const call: AuditCall = {
      target: getAddress(numberToHex(w >> 96n, { size: 20 })),
      selector: numberToHex((w >> 64n) & 0xffffffffn, { size: 4 }),
      value: hasValue ? BigInt(words[++i]!) : 0n,
    };
    for (let r = 0n; r <= repeat; r++) out.push({ ...call });
  }
  return out;
}

/** Per spend limit: token (160) ‖ counted (96), then used (128) ‖ limit (128). */
export function decodeSpends(words: readonly Hex[]): AuditSpend[] {
  if (words.length % 2 !== 0) throw new AuditWordsError(`spend words come in pairs, got ${words.length}`);
  const out: AuditSpend[] = [];
  for (let i = 0; i < words.length; i += 2) {
    const a = BigInt(words[i]!);
    const b = BigInt(words[i + 1]!);
    out.push({ token: getAddress(numberToHex(a >> 96n, { size: 20 })), counted: a & U96, used: b >> 128n, limit: b & U128 });
  }
  return out;
}

/**
 * The record the hook logs for these calls and spends (tests and seeded fixtures): one word per
 * call, or with `merge`, a run of one target and selector without value as one word with a repeat
 * count, as the hook's common path logs a batch; the last call word marked; then the spends. No
 * call: an empty record.
 */
export function encodeRecord(calls: readonly AuditCall[], spends: readonly AuditSpend[], { merge = false }: { merge?: boolean } = {}): Hex[] {
  const c: bigint[] = [];
  let last: AuditCall | undefined;
  let lastWord = -1;
  for (const call of calls) {
    const repeats = merge && last !== undefined && call.value === 0n && last.value === 0n && call.target === last.target && call.selector === last.selector;
    if (repeats) c[c.length - 1]! += 2n;
    else {
      lastWord = c.length;
      c.push((BigInt(call.target) << 96n) | (BigInt(call.selector) << 64n) | (call.value !== 0n ? HAS_VALUE : 0n));
      if (call.value !== 0n) c.push(call.value);
    }
    last = call;
  }
  const s: Hex[] = [];
  for (const sp of spends) {
    if (sp.counted > U96 || sp.used > U128 || sp.limit > U128) throw new AuditWordsError('a spend figure is out of the layout range');
    s.push(word((BigInt(sp.token) << 96n) | sp.counted), word((sp.used << 128n) | sp.limit));
  }
  if (lastWord < 0) return [];
  c[lastWord]! |= LAST;
  return [...c.map(word), ...s];
}
