// Amounts and times the way wallets show them to people: a token amount with at most four decimals
// (four significant digits below 1), the exact value kept for a tooltip; a time as "in 3 days" or
// "2 hours ago", the date kept for a tooltip. For screens only: never parse these back.
import { formatUnits } from 'viem';
import { formatDate } from '../permissions/describe.js';

export type Shown = { short: string; full: string };

/** "0.9995 ETH" for 0.999465738749434232 ETH; `full` is the exact amount. */
export function amountForPeople(v: bigint, decimals: number, symbol: string): Shown {
  const exact = formatUnits(v, decimals);
  const n = Number(exact);
  const opts: Intl.NumberFormatOptions = Math.abs(n) >= 1 || n === 0 ? { maximumFractionDigits: 4 } : { maximumSignificantDigits: 4 };
  let short = new Intl.NumberFormat('en-US', opts).format(n);
  // Rounding may show a non-zero amount as 0: say it is below the smallest shown instead.
  if (v !== 0n && Number(short.replace(/,/g, '')) === 0) short = '< 0.0001';
  return { short: `${short} ${symbol}`, full: `${exact} ${symbol}` };
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "in 3 days", "2 hours ago"; `full` is the date (UTC). */
export function timeForPeople(atS: number, nowS: number): Shown {
  const diff = atS - nowS;
  const [unit, size] = UNITS.find(([, s]) => Math.abs(diff) >= s) ?? ['second', 1];
  const short = new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(diff / size), unit);
  return { short, full: formatDate(atS) };
}

/** "0xf39F…2266": the first four and last four hex digits, as wallets show an address; `full` is all of it. */
export function addressForPeople(address: string): Shown {
  return { short: address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address, full: address };
}
