// Requests that wait for the user: one approval window each. They live in storage, so a request
// survives the service worker being stopped: the window reloads it by id, and the page's relay
// asks again for the answer (`awaitAnswer`) when its first message was cut.
import { z } from 'zod';
import type { RpcResponse } from '../provider/messages.js';
import { internalError, providerDisconnected, resourceUnavailable, toWireError, userRejected } from '../protocol/errors.js';
import { APPROVAL_KINDS, APPROVAL_STATES, type ApprovalKind } from '../protocol/views.js';
import { migrateLegacyPermissionParams } from './asks.js';
import { type KeyValueStore, versionedEntry } from './store.js';

export type { ApprovalKind } from '../protocol/views.js';

// Error first: `{ result: unknown }` would also match an error object (result: undefined).
const responseSchema: z.ZodType<RpcResponse, z.ZodTypeDef, unknown> = z.union([
  z.object({ error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }) }).strict(),
  z
    .object({ result: z.unknown() })
    .strict()
    .transform((r) => ({ result: r.result })),
]);

export const opStepSchema = z.object({
  /** The network's name (a grant on several chains has steps on each). */
  chain: z.string(),
  /** What the operation does, on which account ("Kernel: register the key and set its policy"). */
  label: z.string(),
  state: z.enum(['signing', 'sent', 'landed', 'failed']),
  transaction: z.string().optional(),
  /** Where a failed operation stopped: before it was sent, or waiting for it to land. */
  failedAt: z.enum(['signing', 'landed']).optional(),
});
export type OpStepRecord = z.infer<typeof opStepSchema>;

export const approvalSchema = z.object({
  id: z.string(),
  origin: z.string(),
  /** The page's request id (from the relay): a repeated request waits for this one's answer. */
  requestId: z.string().optional(),
  kind: z.enum(APPROVAL_KINDS),
  method: z.string(),
  params: z.unknown(),
  createdAt: z.number(),
  /** open: waiting for the user; running: approved, landing onchain; then one of the ends. */
  state: z.enum(APPROVAL_STATES),
  progress: z.array(z.string()).default([]),
  /** Each owner operation an approval sends, and where it is (the window's stepper); one entry per chain and label. */
  steps: z.array(opStepSchema).optional(),
  error: z.string().optional(),
  response: responseSchema.optional(),
});
export type Approval = z.infer<typeof approvalSchema>;

/**
 * The stored approvals' version (store.ts); a schema change bumps it and adds a migration. 2: a
 * permission request is stored translated (asks.ts), not as the raw request to translate again.
 */
export const APPROVALS_VERSION = 2;

const approvalsV2 = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? Object.fromEntries(
        Object.entries(v).map(([id, a]) =>
          typeof a === 'object' && a !== null && typeof (a as { kind?: unknown }).kind === 'string' && typeof (a as { method?: unknown }).method === 'string'
            ? [id, { ...a, params: migrateLegacyPermissionParams(a as { kind: string; method: string; params: unknown }) }]
            : [id, a],
        ),
      )
    : v;

/** At most this many open requests per site: a page cannot open a storm of windows. */
export const MAX_OPEN_PER_ORIGIN = 3;
const KEEP_FINISHED_MS = 10 * 60_000;
/** The start of the error an approval gets when the worker running it was stopped. */
export const INTERRUPTED = 'Interrupted: the wallet was stopped while carrying this out';

export function createApprovals(opts: { store: KeyValueStore; openWindow: (id: string) => Promise<void>; now?: () => number; newId?: () => string }) {
  const now = opts.now ?? Date.now;
  const entry = versionedEntry(opts.store, 'approvals', z.record(approvalSchema), () => ({}), {
    version: APPROVALS_VERSION,
    migrations: { 2: approvalsV2 },
    now,
  });
  const waiters = new Map<string, ((r: RpcResponse) => void)[]>();
  // A request that was approved runs in the memory of the worker that claimed it. A new worker
  // (MV3 stops idle workers; the browser restarts) finds it 'running' with no one to finish it:
  // it ends it at once, with a clear error for the window and the dapp, before anything else.
  const recovered = (async () => {
    const all = await entry.read();
    const stale = Object.values(all).filter((a) => a.state === 'running');
    if (!stale.length) return;
    for (const a of stale) {
      const last = a.progress.at(-1);
      const message = `${INTERRUPTED}${last ? ` during "${last}"` : ''}. What was sent before may have landed onchain: check the account in the popup before asking again.`;
      all[a.id] = { ...a, state: 'failed', error: message, response: { error: toWireError(internalError(message)) } };
    }
    await entry.write(all);
  })().catch(() => undefined);
  let queue: Promise<unknown> = recovered;
  // Read-modify-write of the one record, serialized so two requests never overwrite each other.
  const mutate = <T>(fn: (all: Record<string, Approval>) => T): Promise<T> => {
    const run = queue.then(async () => {
      const all = await entry.read();
      const out = fn(all);
      await entry.write(all);
      return out;
    });
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  async function open(p: { origin: string; requestId?: string; kind: ApprovalKind; method: string; params: unknown }): Promise<Approval> {
    const approval = await mutate((all) => {
      for (const [id, a] of Object.entries(all)) {
        if (a.state !== 'open' && a.state !== 'running' && now() - a.createdAt > KEEP_FINISHED_MS) delete all[id];
      }
      const waiting = Object.values(all).filter((a) => a.origin === p.origin && a.state === 'open').length;
      if (waiting >= MAX_OPEN_PER_ORIGIN) {
        throw resourceUnavailable(`${waiting} requests from this site already wait for the user: answer them first`);
      }
      const a: Approval = { id: opts.newId?.() ?? crypto.randomUUID(), ...p, createdAt: now(), state: 'open', progress: [] };
      all[a.id] = a;
      return a;
    });
    await opts.openWindow(approval.id);
    return approval;
  }

  const get = async (id: string): Promise<Approval | undefined> => {
    await recovered;
    return (await entry.read())[id];
  };

  /** The dapp's answer once the request has ended (resolves at once when it already has). */
  async function awaitAnswer(id: string): Promise<RpcResponse> {
    const a = await get(id);
    if (!a) return { error: toWireError(providerDisconnected('The request was lost: send it again')) };
    if (a.response) return a.response;
    return new Promise((resolve) => waiters.set(id, [...(waiters.get(id) ?? []), resolve]));
  }

  async function update(id: string, patch: Partial<Pick<Approval, 'state' | 'error' | 'response'>> & { addProgress?: string; step?: OpStepRecord }) {
    const a = await mutate((all) => {
      const cur = all[id];
      if (!cur) return undefined;
      const { addProgress, step, ...rest } = patch;
      const same = (s: OpStepRecord) => step && s.chain === step.chain && s.label === step.label;
      const had = cur.steps ?? [];
      const steps = !step ? cur.steps : had.some(same) ? had.map((s) => (same(s) ? step : s)) : [...had, step];
      const next: Approval = { ...cur, ...rest, progress: addProgress ? [...cur.progress, addProgress] : cur.progress, ...(steps && { steps }) };
      all[id] = next;
      return next;
    });
    if (a?.response) {
      for (const w of waiters.get(id) ?? []) w(a.response);
      waiters.delete(id);
    }
    return a;
  }

  /** Moves an open request to running; false when it was not open (decided twice, or gone). */
  async function claim(id: string): Promise<Approval | undefined> {
    return mutate((all) => {
      const a = all[id];
      if (!a || a.state !== 'open') return undefined;
      a.state = 'running';
      return a;
    });
  }

  /** Rejects an open request (4001); a request already approved and running is left alone. */
  async function reject(id: string) {
    const a = await get(id);
    if (!a || a.state !== 'open') return a;
    return update(id, { state: 'rejected', response: { error: toWireError(userRejected()) } });
  }

  const list = async () => {
    await recovered;
    return Object.values(await entry.read());
  };

  /** The approval a page's request opened, when the relay repeats that request after a cut. */
  const byRequest = async (origin: string, requestId: string) => (await list()).find((a) => a.origin === origin && a.requestId === requestId);

  return { open, get, list, byRequest, awaitAnswer, update, claim, reject };
}
export type Approvals = ReturnType<typeof createApprovals>;
