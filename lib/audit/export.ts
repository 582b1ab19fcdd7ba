// History as files an auditor opens: JSON (everything, bigints as decimal strings: JSON has no
// integers past 2^53) and CSV (one row per entry, RFC 4180). Pure: the download is the UI's job.
import { describeRefusal } from '../permissions/refusal.js';
import type { TokenInfos } from '../permissions/index.js';
import type { HistoryEntry } from './history.js';

export type ExportOptions = { timestamps?: ReadonlyMap<bigint, number>; tokens?: TokenInfos };

const bigintsAsStrings = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** Entries as a JSON array, each with `time` (ISO, UTC) when its block's timestamp is known. */
export function historyToJson(entries: readonly HistoryEntry[], o: ExportOptions = {}): string {
  const out = entries.map((e) => ({ ...e, time: isoTime(e, o.timestamps) }));
  return JSON.stringify(out, bigintsAsStrings, 2);
}

export const CSV_COLUMNS = [
  'kind',
  'time',
  'blockNumber',
  'transactionHash',
  'logIndex',
  'account',
  'keyId',
  'signer',
  'calls',
  'spends',
  'userOpHash',
  'refusal',
  'reason',
  'chain',
] as const;

/**
 * One header row and one row per entry, CRLF line ends. Lists within a cell (calls, spends) are
 * `;`-separated with `:` between fields: target:selector:value, token:counted:used:limit.
 */
export function historyToCsv(entries: readonly HistoryEntry[], o: ExportOptions = {}): string {
  const rows = entries.map((e) => {
    const common = {
      kind: e.kind,
      time: isoTime(e, o.timestamps) ?? '',
      chain: e.chain ?? '',
      blockNumber: e.blockNumber,
      transactionHash: e.transactionHash,
      logIndex: e.logIndex,
      account: e.account,
    };
    const row: Record<(typeof CSV_COLUMNS)[number], unknown> =
      e.kind === 'executed'
        ? {
            ...common,
            keyId: e.keyId,
            signer: e.signer,
            calls: e.calls.map((c) => `${c.target}:${c.selector}:${c.value}`).join(';'),
            spends: e.spends.map((s) => `${s.token}:${s.counted}:${s.used}:${s.limit}`).join(';'),
            userOpHash: '',
            refusal: '',
            reason: '',
          }
        : {
            ...common,
            keyId: '',
            signer: '',
            calls: '',
            spends: '',
            userOpHash: e.userOpHash,
            refusal: e.refusal.error,
            reason: describeRefusal(e.refusal, o.tokens),
          };
    return CSV_COLUMNS.map((c) => csvCell(row[c])).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/**
 * RFC 4180 quoting, and a leading `'` on text a spreadsheet would run as a formula: revert
 * reasons come from the chain, so anyone can write one that starts with `=`.
 */
export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** An entry's time: its own (a history merging chains) or its block's. */
function isoTime(e: HistoryEntry, timestamps?: ReadonlyMap<bigint, number>): string | undefined {
  const t = e.at ?? timestamps?.get(e.blockNumber);
  return t === undefined ? undefined : new Date(t * 1000).toISOString();
}
