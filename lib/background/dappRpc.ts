// What a page may ask: the relay's message and the page's origin checked at the boundary, the
// method looked up in one table (handlers/dapp/), its params read with its schema
// (lib/protocol/rpc/<method>.ts), its gates checked, and every failure answered with the EIP-1193
// error it deserves. Requests that need the user open an approval window and wait for its answer.
import { z } from 'zod';
import { backgroundRequestSchema, type RpcResponse } from '../provider/messages.js';
import { invalidRequest, toWireError, unauthorized, unsupportedMethod } from '../protocol/errors.js';
import { requireConnected } from './connections.js';
import type { BackgroundContext } from './context.js';
import { dappHandlers } from './handlers/dapp/index.js';
import type { DappHandler } from './handlers/dappHandler.js';

const methodSchema = z.string().min(1).max(128);
const originSchema = z
  .string()
  .max(2048)
  .refine((o) => {
    try {
      return new URL(o).origin === o;
    } catch {
      return false;
    }
  });

export function createDappRpc(ctx: BackgroundContext) {
  async function handle(message: unknown): Promise<RpcResponse> {
    try {
      const req = backgroundRequestSchema.safeParse(message);
      if (!req.success) throw invalidRequest();
      const origin = originSchema.safeParse(req.data.origin);
      if (!origin.success) throw unauthorized('Unknown origin');
      const method = methodSchema.safeParse(req.data.method);
      if (!method.success) throw invalidRequest('Invalid request: method must be a non-empty string');
      // Own names only: `__proto__` or `toString` is as unknown as any other method.
      const handler: DappHandler | undefined = Object.hasOwn(dappHandlers, method.data) ? dappHandlers[method.data as keyof typeof dappHandlers] : undefined;
      if (!handler) throw unsupportedMethod(method.data.slice(0, 64));
      const params = handler.schema.parameters(req.data.params);
      if (handler.requiresConnection) await requireConnected(ctx, origin.data, handler.requiresConnection(params));
      const dappRequest = { origin: origin.data, requestId: req.data.id, retry: !!req.data.retry, raw: req.data.params };
      return { result: await handler.handle(ctx, params, dappRequest) };
    } catch (e) {
      return { error: toWireError(e) };
    }
  }

  return { handle, methods: Object.keys(dappHandlers) };
}
