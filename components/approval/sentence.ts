// The approval's one sentence: what the agent may do, from where, until when, in the words a
// person uses ("127.0.0.1:5173's agent may spend up to 100 USDC a day from your Kernel account until
// 10 Dec"). The exact rules follow it in the window; this is what is read in five seconds.
// Nothing heavy is imported here: the approval window's bundle stays small (it opens on a request).
import type { PermissionView } from '@/lib/protocol/views';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "1,000,000.5": the exact amount (as the limit's figure shows it), its whole part grouped. */
export function grouped(exact: string): string {
  const [whole, fraction] = exact.split('.');
  const g = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${g}.${fraction}` : g;
}

/** "a day", "an hour", "a week", "every 30 days", "every 6 hours". */
export function perPeriod(seconds: number): string {
  if (seconds === 3_600) return 'an hour';
  if (seconds === 86_400) return 'a day';
  if (seconds === 7 * 86_400) return 'a week';
  if (seconds % 86_400 === 0) return `every ${seconds / 86_400} days`;
  if (seconds % 3_600 === 0) return `every ${seconds / 3_600} hours`;
  return `every ${Math.round(seconds / 60)} minutes`;
}

/** "10 Dec" (with the year when it is not this one), in UTC like the rest of the window's dates. */
export function dayOf(atS: number, nowS: number): string {
  const d = new Date(atS * 1000);
  const year = d.getUTCFullYear() === new Date(nowS * 1000).getUTCFullYear() ? '' : ` ${d.getUTCFullYear()}`;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year}`;
}

/** "your Kernel account", "your Kernel and Safe accounts", "your Kernel, Nexus and Safe accounts". */
function accountsIn(names: string[]): string {
  if (names.length === 0) return 'your account';
  if (names.length === 1) return `your ${names[0]} account`;
  return `your ${names.slice(0, -1).join(', ')} and ${names.at(-1)} accounts`;
}

/** The site as people read it: its host ("example.org", "127.0.0.1:5173"). */
function siteOf(origin: string): string {
  try {
    return new URL(origin).host || origin;
  } catch {
    return origin;
  }
}

/** A connection in one sentence: what the site will see, and what it will (not) be able to do. */
export function connectSentence(p: { origin: string; accounts: string[] }): string {
  return `${siteOf(p.origin)} will see the address of ${accountsIn(p.accounts)} and may ask you to approve requests; it cannot move anything without your approval.`;
}

export function permissionSentence(p: { origin: string; permission: PermissionView; accounts: string[]; nowS: number }): string {
  const site = siteOf(p.origin);
  const spends = p.permission.spends.map((s) => {
    const amount = `${grouped(s.formatted)} ${s.symbol}`;
    return s.seconds ? `${amount} ${perPeriod(s.seconds)}` : amount;
  });
  const what = spends.length ? `spend up to ${spends.join(' and ')}` : 'act';
  const until = p.permission.expiry === undefined ? 'with no end date' : `until ${dayOf(p.permission.expiry, p.nowS)}`;
  return `${site}'s agent may ${what} from ${accountsIn(p.accounts)} ${until}.`;
}
