// The popup ↔ background contract: every message the extension's own pages send (the schemas the
// background parses them with), and what each one answers. `UiResults` maps a message's `type` to
// the fields of its `{ ok: true, ... }` answer, as the screens read them (the views are in
// views.ts; bigints as bigints: jsonSafe.ts carries them over the JSON of extension messaging, in
// call() and uiRpc only).
import { isAddress, type Address, type Hex } from 'viem';
import { z } from 'zod';
import type { AccountKind } from '../accounts/kinds.js';
import type { NetworkCheck } from '../networks/check.js';
import { addNetworkInputSchema } from '../networks/networks.js';
import { walletRequestSchema, type WalletStatus } from '../wallet/messages.js';
import type { AccountView, ApprovalView, KeyHistory, KeyView, Overview } from './views.js';

export type { WalletStatus };

const address = z.string().refine((a) => isAddress(a), 'not an address');
const addressLike = z.string().regex(/^0x[0-9a-fA-F]{40}$/) as unknown as z.ZodType<Address, z.ZodTypeDef, string>;
const keyIdString = z.string().regex(/^[1-9][0-9]{0,53}$/, 'a keyId (decimal)');
/** The network a key action is for (a key lives per chain); the active network when absent. */
const networkId = z.string().min(1).max(64).optional();

/** The user's answer to an approval window. */
export const decisionSchema = z
  .object({
    id: z.string().min(1).max(64),
    approve: z.boolean(),
    /** The accounts chosen (connect, permissions): a subset of the owner's accounts. */
    accounts: z.array(addressLike).max(16).optional(),
    /** Lowered limits per spend, per request element: decimal strings in base units. */
    limits: z
      .array(z.array(z.string().regex(/^[0-9]{1,78}$/)).max(8))
      .max(8)
      .optional(),
    /** Give this existing key of the site a new session key (rotate its signer) instead of a new key: counters carry over. */
    replaceKey: z
      .string()
      .regex(/^[1-9][0-9]{0,53}$/)
      .optional(),
    /**
     * The same key on other networks of the wallet too (permissions): per network, the accounts
     * chosen there. One approval, one key per chain, each chain's op sent at once.
     */
    also: z
      .array(z.object({ networkId: z.string().min(1).max(64), accounts: z.array(addressLike).min(1).max(16) }).strict())
      .max(8)
      .optional(),
  })
  .strict();
export type Decision = z.infer<typeof decisionSchema>;

export const uiRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ui:overview') }).strict(),
  z.object({ type: z.literal('ui:accounts') }).strict(),
  z.object({ type: z.literal('ui:addNetwork'), input: addNetworkInputSchema }).strict(),
  z.object({ type: z.literal('ui:selectNetwork'), id: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('ui:importAccount'), address }).strict(),
  z.object({ type: z.literal('ui:install'), address }).strict(),
  /** Deploy Functor on the active network from this account (default: the owner's first). */
  z.object({ type: z.literal('ui:deployFunctor'), account: addressLike.optional() }).strict(),
  z
    .object({ type: z.literal('ui:deployFunctorWait'), userOpHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/) as unknown as z.ZodType<Hex, z.ZodTypeDef, string> })
    .strict(),
  z.object({ type: z.literal('ui:disconnect'), origin: z.string().max(2048) }).strict(),
  z.object({ type: z.literal('approval:get'), id: z.string().min(1).max(64) }).strict(),
  z.object({ type: z.literal('ui:keys') }).strict(),
  z.object({ type: z.literal('ui:accountHistory'), address }).strict(),
  z.object({ type: z.literal('ui:keyHistory'), keyId: keyIdString, networkId, accounts: z.array(address).max(16) }).strict(),
  z.object({ type: z.literal('ui:revokeKey'), keyId: keyIdString, networkId }).strict(),
  /** Every live key the owner's accounts registered on this network (the active one when absent). */
  z.object({ type: z.literal('ui:revokeAll'), networkId }).strict(),
  z.object({ type: z.literal('ui:disableKey'), keyId: keyIdString, networkId, account: address }).strict(),
  z
    .object({ type: z.literal('ui:rotateSigner'), keyId: keyIdString, networkId, oldSigner: z.string().regex(/^0x[0-9a-fA-F]{64}$/), newSigner: address })
    .strict(),
  z.object({ type: z.literal('ui:renameKey'), keyId: keyIdString, name: z.string().trim().min(1).max(64) }).strict(),
  z.object({ type: z.literal('ui:editPolicy'), keyId: keyIdString, networkId, accounts: z.array(address).min(1).max(16), permission: z.unknown() }).strict(),
  z.object({ type: z.literal('approval:decide'), decision: decisionSchema }).strict(),
  ...walletRequestSchema.options,
]);
export type UiRequest = z.infer<typeof uiRequestSchema>;
export { walletRequestSchema };

/** Every message a page of the extension may send the background (as sent: the background parses it). */
export type UiMessage = z.input<typeof uiRequestSchema>;
export type UiMessageType = UiMessage['type'];

type Done = Record<never, never>;
type WalletAnswer = { status: WalletStatus; /** Only once, right after creation. */ mnemonic?: string };

/** What each message answers when it succeeds (the fields beside `ok: true`). */
export interface UiResults {
  'ui:overview': Overview;
  'ui:accounts': { accounts: AccountView[] };
  'ui:addNetwork': { network: { id: string; name: string; chainId: number }; check: NetworkCheck };
  'ui:selectNetwork': Done;
  'ui:importAccount': { kind: AccountKind };
  'ui:install': { already?: true; transactionHash?: Hex };
  /** `already`: Functor is there (nothing sent); else the operation sent and what it deploys. */
  'ui:deployFunctor': { already: true } | { userOpHash: Hex; account: { kind: string; name: string; address: Address }; deploying: string[] };
  'ui:deployFunctorWait': { transactionHash: Hex; addresses: { keyStore: Address; policyHook: Address; validator: Address } };
  'ui:disconnect': Done;
  'approval:get': { view: ApprovalView };
  'approval:decide': Done;
  /** `unreachable`: networks whose keys could not be read (their RPC did not answer). */
  'ui:keys': { keys: KeyView[]; unreachable?: { name: string; chainId: number; error: string }[] };
  'ui:accountHistory': { history: KeyHistory };
  'ui:keyHistory': { history: KeyHistory };
  /** The chain it was revoked on; `already`: it was revoked there before (nothing sent). */
  'ui:revokeKey': { chain: { name: string; chainId: number }; already?: true };
  /** What ended on that chain, and per registering account whose operation failed, its keys still live. */
  'ui:revokeAll': { chain: { name: string; chainId: number }; ended: string[]; failed: { account: Address; kind: string; keys: string[]; error: string }[] };
  'ui:disableKey': Done;
  'ui:rotateSigner': Done;
  'ui:renameKey': Done;
  'ui:editPolicy': Done;
  'wallet:status': WalletAnswer;
  'wallet:create': WalletAnswer;
  'wallet:import': WalletAnswer;
  'wallet:unlock': WalletAnswer;
  'wallet:lock': WalletAnswer;
}

/** A refusal, in words for the user (a failed network check also says what it found). */
export type UiFailure = { ok: false; error: string; check?: NetworkCheck; status?: WalletStatus };
export type UiAnswer<T extends UiMessageType> = ({ ok: true } & UiResults[T]) | UiFailure;
export type UiMessageOf<T extends UiMessageType> = Extract<UiMessage, { type: T }>;

/** The one way a screen talks to the background. */
export type Call = <M extends UiMessage>(message: M) => Promise<UiAnswer<M['type']>>;
