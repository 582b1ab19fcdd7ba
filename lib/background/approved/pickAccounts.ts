// Which of the owner's accounts an approval acts for: those the user chose, or else the one the
// site named (`from`), or else the first.
import { getAddress, type Address } from 'viem';
import type { OwnerAccount } from '../accounts.js';

export function pickAccounts(all: OwnerAccount[], chosen: Address[] | undefined, preferred?: Address): OwnerAccount[] {
  if (!chosen?.length) {
    const first = (preferred && all.find((a) => a.address === getAddress(preferred))) ?? all[0];
    return first ? [first] : [];
  }
  return chosen.map((c) => {
    const a = all.find((x) => x.address === getAddress(c));
    if (!a) throw new Error(`${c} is not one of this wallet's accounts on this network`);
    return a;
  });
}
