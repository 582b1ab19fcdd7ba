// What the extension's screens render, as the background sends it: plain data (bigints as bigints;
// lib/protocol/jsonSafe.ts carries them over extension messaging). The background works these out
// (lib/background/accounts.ts, keys.ts, approvalView.ts) and imports their shapes from here; the
// popup and the approval window import them from here too, never from the background.
import type { Address, Hex } from 'viem';
import type { AccountKind } from '../accounts/kinds.js';
import type { HistoryEntry } from '../audit/history.js';
import type { NetworkCheck } from '../networks/check.js';
import type { Permission, TokenInfos } from '../permissions/index.js';
import type { WalletStatus } from '../wallet/messages.js';

// ---------------------------------------------------------------------------------------------
// The popup: overview, networks, accounts, keys
// ---------------------------------------------------------------------------------------------

export type NetworkSummary = { id: string; name: string; chainId: number; rpcUrl: string; bundlerUrl: string; source: string };
export type ActiveNetwork = { id: string; name: string; chainId: number; check?: NetworkCheck };
/** A stored entry the wallet could not read, and the key its value was kept under. */
export type Unreadable = { key: string; keptAs: string; items?: number };

export type Overview = {
  status: WalletStatus;
  networks: NetworkSummary[];
  active?: ActiveNetwork;
  connections: Record<string, { accounts: string[]; connectedAt?: number }>;
  grants: { origin: string; keyId: string; type: string; accounts: { kind: string; address: string }[]; revoked: boolean }[];
  pending: { id: string; origin: string; kind: string }[];
  /** Stored entries the background could not read (kept aside, not lost). */
  unreadable?: Unreadable[];
};

export type AccountView = {
  kind: AccountKind;
  name: string;
  address: Address;
  imported: boolean;
  deployed: boolean;
  balance: string;
  /**
   * Functor's module (FunctorPolicyHook) is the account's validator, and its hook, and installed
   * (lib/accounts/functorModules.ts functorStatus): both true, keys can act on the account.
   */
  validator: boolean;
  hook: boolean;
  /** Another global hook is installed (Nexus and Safe7579 hold one): Functor's cannot go in. */
  otherHook?: Address;
};

export type KeyOnAccount = {
  /** The network the account is on (a key lives per chain) and that chain's keyId for this key. */
  networkId: string;
  chain: string;
  keyId: bigint;
  kind: string;
  name: string;
  address: Address;
  lines: string[];
  permission?: Permission;
  spends: { token: string; used: bigint; limit: bigint; period: Permission['spend'][number]['period']; resetsAt: number }[];
  rate?: { used: bigint; max: bigint; seconds: number };
};
export type KeyView = {
  keyId: bigint;
  name: string;
  origin?: string;
  controller: Address;
  revoked: boolean;
  registeredAt: number;
  signers: Hex[];
  expiry?: number;
  accounts: KeyOnAccount[];
  /**
   * Every chain the key lives on (one approval may grant it on several): its keyId there and
   * whether it is revoked there. `revoked` above: revoked on every one of them.
   */
  chains: { networkId: string; name: string; chainId: number; keyId: bigint; revoked: boolean }[];
  lastActivity: number;
  tokens: TokenInfos;
};

export type KeyHistory = { entries: HistoryEntry[]; total: number; timestamps: [bigint, number][]; explorerUrl?: string };

// ---------------------------------------------------------------------------------------------
// The approval window
// ---------------------------------------------------------------------------------------------

/** What a request waiting for the user asks for: one approval window each. */
export const APPROVAL_KINDS = ['connect', 'permissions', 'sendCalls', 'revoke'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
/** open: waiting for the user; running: approved, landing onchain; then one of the ends. */
export const APPROVAL_STATES = ['open', 'running', 'done', 'failed', 'rejected'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export type SpendView = {
  index: number;
  token: string;
  symbol: string;
  decimals: number;
  limit: string;
  formatted: string;
  period: string;
  /** The period's length, and whether it slides ("any 24 hours") or is fixed (the window's sentence). */
  seconds?: number;
  sliding?: boolean;
};
export type PermissionView = {
  type: string;
  to: Address;
  from?: Address;
  lines: string[];
  warnings: string[];
  notes: string[];
  spends: SpendView[];
  adjustable: boolean;
  justification?: string;
  /** Unix seconds; absent: no expiry. */
  expiry?: number;
};
export type AccountChoice = { kind: string; name: string; address: Address; deployed: boolean; functor: boolean; balance: string; otherHook?: Address };
export type ApprovalView = {
  approval: {
    id: string;
    origin: string;
    kind: ApprovalKind;
    state: ApprovalState;
    progress: string[];
    /** Each owner operation sent for this approval and where it is: signing, sent, landed (or failed), per chain. */
    steps?: { chain: string; label: string; state: 'signing' | 'sent' | 'landed' | 'failed'; transaction?: string; failedAt?: 'signing' | 'landed' }[];
    error?: string;
    result?: unknown;
  };
  locked: boolean;
  /** The wallet has never seen this site: not connected, never granted anything. */
  firstTime?: true;
  network?: { name: string; chainId: number };
  accounts?: AccountChoice[];
  /**
   * The wallet's other networks a permission may be granted on too, each with its accounts, or
   * the reason it cannot be (its RPC does not answer, Functor or a token is missing there).
   */
  otherNetworks?: { id: string; name: string; chainId: number; accounts?: AccountChoice[]; problem?: string }[];
  permissions?: PermissionView[];
  calls?: { to: Address; value: string; data: string }[];
  /** Keys of this site that a permission of the same type could renew (new session key, same counters). */
  renewable?: { keyId: string; accounts: string[]; signer: Address }[];
  problem?: string;
};
