import { describe, expect, it } from 'vitest';
import { getAddress, type Hex } from 'viem';
import { AuditWordsError, decodeRecord, encodeRecord, recordData, recordWords, type AuditCall, type AuditSpend } from './auditWords.js';

const usdc = getAddress('0x96c9f0a8b1e1f4a1c0e4b5e0b8a6f3d2c1b0a9f8');
const bob = getAddress('0x00000000000000000000000000000000000b0b00');
const transfer: AuditCall = { target: usdc, selector: '0xa9059cbb', value: 0n };
const spend: AuditSpend = { token: usdc, counted: 1_000_000n, used: 1_000_000n, limit: 100_000_000n };

describe('KeyExecuted record', () => {
  it('round-trips calls with and without value, and spends at the edges of their ranges', () => {
    const calls: AuditCall[] = [
      { target: usdc, selector: '0xa9059cbb', value: 0n },
      { target: bob, selector: '0x00000000', value: 10n ** 30n },
      { target: usdc, selector: '0xffffffff', value: 1n },
    ];
    const spends: AuditSpend[] = [
      { token: usdc, counted: (1n << 96n) - 1n, used: (1n << 96n) - 1n, limit: (1n << 96n) - 1n },
      { token: getAddress('0x0000000000000000000000000000000000000000'), counted: 0n, used: 5n, limit: 7n },
    ];
    const r = encodeRecord(calls, spends);
    expect(r).toHaveLength(9); // a value word only after the calls that carry value, two words per spend
    expect(decodeRecord(r)).toEqual({ calls, spends });
  });

  it('reads the layout bit by bit (the words a hook with this layout logs)', () => {
    // target ‖ selector ‖ 1 (bit 63) ‖ repeat 0 ‖ hasValue 0; then used ‖ limit ‖ 0 and token ‖
    // counted, written out by hand from contracts/README.md
    const call = `0x${usdc.slice(2).toLowerCase()}a9059cbb8000000000000000` as Hex;
    const usedLimit = `0x${'0'.repeat(18)}0f4240${'0'.repeat(16)}05f5e100${'0'.repeat(16)}` as Hex; // used 1,000,000, limit 100,000,000
    const counted = `0x${usdc.slice(2).toLowerCase()}${'0'.repeat(18)}0f4240` as Hex; // counted 1,000,000
    expect(decodeRecord([call, usedLimit, counted])).toEqual({ calls: [transfer], spends: [spend] });
    expect(encodeRecord([transfer], [spend])).toEqual([call, usedLimit, counted]);
  });

  it('skips a value word by its call, even with bit 63 set, and finds the spends after it', () => {
    const valued = `0x${bob.slice(2).toLowerCase()}000000008000000000000001` as Hex;
    const tenEther = `0x${'0'.repeat(48)}8ac7230489e80000` as Hex; // 10 ether: above 2^63 wei
    const r = [encodeRecord([transfer], [])[0]!, valued, tenEther, ...encodeRecord([], [spend])];
    expect(decodeRecord(r)).toEqual({ calls: [transfer, { target: bob, selector: '0x00000000', value: 10n ** 19n }], spends: [spend] });
  });

  it('an empty batch: no call word, the limits alone', () => {
    const r = encodeRecord([], [spend]);
    expect(r).toHaveLength(2);
    expect(decodeRecord(r)).toEqual({ calls: [], spends: [spend] });
    expect(decodeRecord([])).toEqual({ calls: [], spends: [] });
  });

  it('lists a run logged as one word once per call (bits 1 to 62: how many repeats follow)', () => {
    // target ‖ selector ‖ 1 ‖ repeat 2 ‖ hasValue 0, by hand: three transfers in a row
    const run = `0x${usdc.slice(2).toLowerCase()}a9059cbb8000000000000004` as Hex;
    expect(decodeRecord([run]).calls).toEqual([transfer, transfer, transfer]);
    // merged as the hook's common path logs a batch: a run, a call with value, the run's call again
    const calls: AuditCall[] = [transfer, transfer, { target: bob, selector: '0x00000000', value: 5n }, transfer, transfer, transfer];
    const merged = encodeRecord(calls, [], { merge: true });
    expect(merged).toHaveLength(4);
    expect(BigInt(merged[0]!) & 0xffn).toBe(2n); // one repeat
    expect(BigInt(merged[3]!) & 0xffn).toBe(4n); // two repeats
    expect(decodeRecord(merged).calls).toEqual(calls);
    expect(encodeRecord(calls, [])).toHaveLength(7); // unmerged: a word per call, and the value's
  });

  it('refuses words that do not follow the layout', () => {
    const dirty = `0x${usdc.slice(2)}a9059cbbbffffffffffffffe` as Hex; // 2^62 - 1 repeats
    expect(() => decodeRecord([dirty])).toThrow(AuditWordsError);
    const announcesValue = `0x${usdc.slice(2)}a9059cbb8000000000000001` as Hex;
    expect(() => decodeRecord([announcesValue])).toThrow(/value word that is not there/);
    const [usedLimit, counted] = encodeRecord([], [spend]);
    expect(() => decodeRecord([usedLimit!])).toThrow(/pairs/);
    expect(() => decodeRecord([`0x${usedLimit!.slice(2, 64)}01` as Hex, counted!])).toThrow(/bits 0 to 63/);
    expect(() => encodeRecord([transfer], [{ token: usdc, counted: 1n << 96n, used: 0n, limit: 0n }])).toThrow(AuditWordsError);
  });

  it("reads the log's data as the words end to end, with no ABI head, and refuses a partial word", () => {
    const r = encodeRecord([transfer], [spend]);
    const data = recordData(r);
    expect(data.length).toBe(2 + 3 * 64); // three words, no offset or length before them
    expect(recordWords(data)).toEqual(r);
    expect(decodeRecord(recordWords(data))).toEqual({ calls: [transfer], spends: [spend] });
    expect(recordWords('0x')).toEqual([]);
    expect(recordData([])).toBe('0x');
    expect(() => recordWords(`${data}00` as Hex)).toThrow(/not whole 32-byte words/);
  });
});
