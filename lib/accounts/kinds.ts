/** The ERC-7579 accounts Functor supports. */
export const ACCOUNT_KINDS = ['kernel', 'nexus', 'safe'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
