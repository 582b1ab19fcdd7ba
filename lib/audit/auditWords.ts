// KeyExecuted's packed words (FunctorPolicyHook; the layout bit by bit in contracts/README.md,
// "The audit event"). The event logs words rather than ABI structs, end to end as its data with no
// ABI head (no array offset or length), because every byte logged costs the account 8 gas on every
// execution by a key.
import type { Address, Hex } from 'viem';
import { concat, getAddress, numberToHex, pad, size, slice, toHex } from 'viem';

export type AuditCall = { target: Address; selector: Hex; value: bigint };
export type AuditSpend = { token: Address; counted: bigint; used: bigint; limit: bigint };

const HAS_VALUE = 1n;
/** Bit 63: set in every call word, clear in a spend pair's first word (whose bits 0 to 63 are zero). */
const CALL_WORD = 1n << 63n;
const U62 = (1n << 62n) - 1n;
const U64 = (1n << 64n) - 1n;
const U96 = (1n << 96n) - 1n;
/** More calls than a transaction can carry: a repeat count this high is not the hook's. */
const MAX_REPEAT = 1n << 24n;

/** A word that does not follow the layout: an event not emitted by Functor's hook. */
export class AuditWordsError extends Error {
  override name = 'AuditWordsError';
}

const word = (w: bigint): Hex => pad(toHex(w), { size: 32 });

/** A KeyExecuted log's data as its record's words: 32 bytes each, end to end. */
export function recordWords(data: Hex): Hex[] {
  const n = size(data);
  if (n % 32 !== 0) throw new AuditWordsError(`KeyExecuted's data is ${n} bytes, not whole 32-byte words`);
  return Array.from({ length: n / 32 }, (_, i) => slice(data, i * 32, (i + 1) * 32));
}

/** The log data the hook emits for a record (seeded fixtures): its words end to end. */
export function recordData(record: readonly Hex[]): Hex {
  // viem's concat cannot tell hex from bytes in an empty list (it answers an empty byte array)
  return record.length === 0 ? '0x' : concat([...record]);
}

/**
 * KeyExecuted's record (`recordWords` of the log's data). First the calls, in call order: target (160) ‖ selector (32) ‖ 1 (bit 63)
 * ‖ repeat (62) ‖ hasValue (1), then the value word when hasValue. A word stands for 1 + repeat
 * calls in a row (the hook logs a run of one target and selector without value as one word); the
 * list returned has one entry per call. Then per spend limit: used (96) ‖ limit (96) ‖ 0 (64), then
 * token (160) ‖ counted (96). The first word without bit 63 where a call word could be starts the
 * spends.
 */
export function decodeRecord(record: readonly Hex[]): { calls: AuditCall[]; spends: AuditSpend[] } {
  const calls: AuditCall[] = [];
  let i = 0;
  for (; i < record.length; i++) {
    const w = BigInt(record[i]!);
    if ((w & CALL_WORD) === 0n) break;
    const repeat = (w >> 1n) & U62;
    if (repeat >= MAX_REPEAT) throw new AuditWordsError(`call word ${i} repeats ${repeat} times, more than any execution holds`);
    const hasValue = (w & HAS_VALUE) === HAS_VALUE;
    if (hasValue && i + 1 >= record.length) throw new AuditWordsError(`call word ${i} announces a value word that is not there`);
    const call: AuditCall = {
      target: getAddress(numberToHex(w >> 96n, { size: 20 })),
      selector: numberToHex((w >> 64n) & 0xffffffffn, { size: 4 }),
      value: hasValue ? BigInt(record[++i]!) : 0n,
    };
    for (let r = 0n; r <= repeat; r++) calls.push({ ...call });
  }
  if ((record.length - i) % 2 !== 0) throw new AuditWordsError(`spend words come in pairs, got ${record.length - i}`);
  const spends: AuditSpend[] = [];
  for (; i < record.length; i += 2) {
    const a = BigInt(record[i]!);
    const b = BigInt(record[i + 1]!);
    if ((a & U64) !== 0n) throw new AuditWordsError(`spend word ${i} has bits 0 to 63 set`);
    spends.push({ token: getAddress(numberToHex(b >> 96n, { size: 20 })), counted: b & U96, used: a >> 160n, limit: (a >> 64n) & U96 });
  }
  return { calls, spends };
}

/**
 * The record the hook logs for these calls and spends (tests and seeded fixtures): one word per
 * call, or with `merge`, a run of one target and selector without value as one word with a repeat
 * count, as the hook's common path logs a batch; then the spends.
 */
export function encodeRecord(calls: readonly AuditCall[], spends: readonly AuditSpend[], { merge = false }: { merge?: boolean } = {}): Hex[] {
  const c: bigint[] = [];
  let last: AuditCall | undefined;
  for (const call of calls) {
    const repeats = merge && last !== undefined && call.value === 0n && last.value === 0n && call.target === last.target && call.selector === last.selector;
    if (repeats) c[c.length - 1]! += 2n;
    else {
      c.push((BigInt(call.target) << 96n) | (BigInt(call.selector) << 64n) | CALL_WORD | (call.value !== 0n ? HAS_VALUE : 0n));
      if (call.value !== 0n) c.push(call.value);
    }
    last = call;
  }
  const s: bigint[] = [];
  for (const sp of spends) {
    if (sp.counted > U96 || sp.used > U96 || sp.limit > U96) throw new AuditWordsError('a spend figure is out of the layout range');
    s.push((sp.used << 160n) | (sp.limit << 64n), (BigInt(sp.token) << 96n) | sp.counted);
  }
  return [...c, ...s].map(word);
}
