import { describe, expect, test } from 'vitest';
import { CSV_COLUMNS, csvCell, historyToCsv, historyToJson } from './export.js';
import { blockedEntry, transferEntry, USDC, usdcTokens } from './testing.js';

const entries = [transferEntry(0, { withData: false }), blockedEntry(1)];

describe('csvCell', () => {
  test('quotes commas, quotes and newlines (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(12n)).toBe('12');
  });
  test('defuses spreadsheet formulas (revert reasons are anyone’s text)', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('historyToCsv', () => {
  const csv = historyToCsv(entries, { tokens: usdcTokens, timestamps: new Map([[100n, 1_795_305_600]]) });
  const lines = csv.split('\r\n');

  test('a header, one CRLF row per entry', () => {
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(4); // header, 2 rows, and the final CRLF
    expect(lines[3]).toBe('');
  });

  test('executed: calls and spends, bigints in decimal', () => {
    const cells = lines[1]!.split(',');
    const at = (c: (typeof CSV_COLUMNS)[number]) => cells[CSV_COLUMNS.indexOf(c)];
    expect(at('kind')).toBe('executed');
    expect(at('time')).toBe('2026-11-22T00:00:00.000Z');
    expect(at('blockNumber')).toBe('100');
    expect(at('keyId')).toBe('7');
    expect(at('calls')).toBe(`${USDC}:0xa9059cbb:0`);
    expect(at('spends')).toBe(`${USDC}:640000000:640000000:1000000000`);
  });

  test('blocked: the error and the reason in words, quoted for its comma', () => {
    expect(lines[2]).toMatch(/^blocked,,101,/);
    expect(lines[2]).toContain(',SpendLimitExceeded,"spend limit: 900/1000 USDC used in the window, asked 200"');
  });
});

describe('historyToJson', () => {
  test('round-trips with bigints as decimal strings', () => {
    const back = JSON.parse(historyToJson(entries));
    expect(back).toHaveLength(2);
    expect(back[0].blockNumber).toBe('100');
    expect(back[0].keyId).toBe('7');
    expect(back[0].spends[0]).toEqual({ token: USDC, counted: '640000000', used: '640000000', limit: '1000000000' });
    expect(back[1].refusal.error).toBe('SpendLimitExceeded');
    expect(back[1].refusal.args[2]).toBe('900000000');
    expect(back[0].time).toBeUndefined();
  });
});

describe('a history merging chains', () => {
  // Two entries at the same block number on two chains: each carries its chain and its own time.
  const merged = [
    { ...transferEntry(0, { withData: false, blockNumber: 5n }), chain: 'Local devnet', at: 1_795_305_600 },
    { ...transferEntry(1, { withData: false, blockNumber: 5n }), chain: 'Sepolia', at: 1_795_309_200 },
  ];
  test('CSV: each row its chain and its own time, not the block number’s', () => {
    const rows = historyToCsv(merged, { timestamps: new Map([[5n, 0]]) }).split('\r\n');
    const at = (row: string, c: (typeof CSV_COLUMNS)[number]) => row.split(',')[CSV_COLUMNS.indexOf(c)];
    expect([at(rows[1]!, 'chain'), at(rows[1]!, 'time')]).toEqual(['Local devnet', '2026-11-22T00:00:00.000Z']);
    expect([at(rows[2]!, 'chain'), at(rows[2]!, 'time')]).toEqual(['Sepolia', '2026-11-22T01:00:00.000Z']);
  });
  test('JSON: the chain and the time', () => {
    expect(JSON.parse(historyToJson(merged)).map((e: { chain: string; time: string }) => [e.chain, e.time])).toEqual([
      ['Local devnet', '2026-11-22T00:00:00.000Z'],
      ['Sepolia', '2026-11-22T01:00:00.000Z'],
    ]);
  });
});
