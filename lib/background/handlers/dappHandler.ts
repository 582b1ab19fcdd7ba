// What a dapp method's handler is: its schema namespace (lib/protocol/rpc/<method>.ts), the gates
// the dispatcher (dappRpc.ts) checks before it runs, and the work. A gate is stated here once,
// never as an `if` at the top of a handler.
import type { z } from 'zod';
import type * as rpc from '../../protocol/rpc/index.js';
import type { BackgroundContext } from '../context.js';

export type DappMethod = keyof typeof rpc;
type Schema = { parameters: (raw: unknown) => unknown; Response: z.ZodTypeAny };

export interface DappRequest {
  origin: string;
  /** The page's request id: a repeated request (the relay after a worker stop) finds its approval. */
  requestId: string;
  retry: boolean;
  /** The params as the page sent them (an approval stores them; its answer echoes them). */
  raw: unknown;
}

export interface DappHandler<S extends Schema = Schema> {
  schema: S;
  /**
   * The site must be connected before this runs (4100 otherwise); to the account this returns,
   * when the params name one.
   */
  requiresConnection?(params: ReturnType<S['parameters']>): string | undefined;
  handle(ctx: BackgroundContext, params: ReturnType<S['parameters']>, req: DappRequest): Promise<z.input<S['Response']>>;
}

/** A handler, typed by its schema (the params it gets and the answer it owes). */
export const dappHandler = <S extends Schema>(h: DappHandler<S>): DappHandler<S> => h;
