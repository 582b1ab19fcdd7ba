import { amountForPeople } from '@/lib/format/people';

/** A token amount as people read it ("0.9995 ETH"), the exact one on hover. */
export function Amount({ v, decimals, symbol }: { v: bigint; decimals: number; symbol: string }) {
  const a = amountForPeople(v, decimals, symbol);
  return <span title={a.full}>{a.short}</span>;
}
