// The one message schema between the inpage provider, the content relay and the background.
import { z } from 'zod';

export const RELAY_TARGET_BACKGROUND = 'functor:to-background';
export const RELAY_TARGET_PAGE = 'functor:to-page';
/** An EIP-1193 event (accountsChanged, chainChanged) from the background to the page. */
export const RELAY_TARGET_EVENT = 'functor:event';

export const relayEventSchema = z.object({
  target: z.literal(RELAY_TARGET_EVENT),
  event: z.enum(['accountsChanged', 'chainChanged']),
  data: z.unknown(),
});

/** A JSON-RPC request from the page, as relayed (the relay adds the page's origin). */
export const relayRequestSchema = z.object({
  target: z.literal(RELAY_TARGET_BACKGROUND),
  id: z.string().min(1).max(64),
  method: z.unknown(),
  params: z.unknown().optional(),
  /** Set by the relay when it sends a request again because the background went away mid-way. */
  retry: z.boolean().optional(),
});

/** The background adds the sender's origin (checked by the router: a bad one gets 4100). */
export const backgroundRequestSchema = relayRequestSchema.extend({ origin: z.unknown() });

export interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

export type RpcResponse = { result: unknown } | { error: RpcErrorBody };

export const rpcResponseSchema = z.union([
  z.object({ result: z.unknown() }).strict(),
  z.object({ error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }) }).strict(),
]);
