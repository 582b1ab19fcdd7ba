// An MCP (Model Context Protocol) server that lets a model act with a Functor grant: read the
// grant's status, send a token transfer or make an allowed call within it, and ask why an attempt
// was refused. The limits stay onchain and in the wallet: there is no tool that grants, widens,
// renews or rotates anything, and the server is given a signer (a viem LocalAccount), never the
// key's bytes, so no tool result or error can carry the key. Every failure (bad input, a refusal,
// an unreachable bundler) comes back as a tool result with `isError` and words a model can act on.
// No node APIs here: the stdio wiring is in cli.ts.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  type Address,
  type Chain,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  type Hex,
  isAddress,
  isHex,
  type LocalAccount,
  parseUnits,
  type PublicClient,
  type Transport,
  zeroAddress,
} from 'viem';
import { z } from 'zod';
import { type Network, smartAccountClientFor } from '../../accounts/clients.js';
import { type FunctorPermissionContext, sessionContextOf } from '../../permissions/context.js';
import type { Call } from '../../functorMode.js';
import type { TokenInfo } from '../../permissions/index.js';
import { explainRefusal } from '../explain.js';
import { describeRefusal, type Refusal } from '../../permissions/refusal.js';
import { sendCalls } from '../sendCalls.js';
import { toFunctorSessionAccount } from '../sessionAccount.js';
import { NATIVE, readGrantStatus, tokenInfo } from '../status.js';
import { signSurrender } from '../../keystore/surrender.js';

export type FunctorMcpOptions = {
  context: FunctorPermissionContext;
  signer: LocalAccount;
  net: Network;
  pub: PublicClient<Transport, Chain>;
  keyStore: Address;
  /** Token names the model may use instead of an address (e.g. the devnet's usdc, dai). */
  tokens?: Record<string, Address>;
};

/**
 * The tools, by name: what a host lists. Nothing here can grant, widen or renew a limit;
 * `surrender` can only end the key (it signs the KeyStore's Surrender for anyone to submit).
 */
export const TOOL_NAMES = ['status', 'send', 'call', 'explain', 'surrender'] as const;

// Input schemas (zod, checked by the SDK before a handler runs; a bad input is an isError result).
const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), 'not an address (0x + 40 hex digits)')
  .transform((s) => getAddress(s));
const amount = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'a positive decimal number in token units, e.g. "60" or "0.5"')
  .refine((s) => /[1-9]/.test(s), 'must be more than 0');
const token = z.string().min(1).describe("the token: its address, or a name the server knows (e.g. 'usdc'); omit for the chain's coin");
const hexData = z
  .string()
  .refine((s) => isHex(s, { strict: true }) && s.length % 2 === 0, 'hex bytes, 0x-prefixed')
  .transform((s) => s as Hex);
const wei = z
  .string()
  .regex(/^\d+$/, 'a whole number of wei, as a decimal string')
  .transform((s) => BigInt(s));

export const sendInput = {
  to: address.describe('the recipient'),
  amount: amount.describe('how much, in token units (60 = 60 USDC)'),
  token: token.optional(),
};
export const callInput = {
  to: address.describe('the contract to call (it must be one the grant allows)'),
  data: hexData.describe('the calldata, 0x-hex'),
  value: wei.optional().describe("wei of the chain's coin to send with the call (default 0)"),
};
export const explainInput = {
  kind: z.enum(['send', 'call']).optional().describe('the attempt to explain; omit to explain the last refused attempt'),
  to: address.optional(),
  amount: amount.optional(),
  token: token.optional(),
  data: hexData.optional(),
  value: wei.optional(),
};

export const surrenderInput = {
  confirm: z.literal(true).describe('true: the key ends for good, on every account of this chain; nothing can bring it back'),
};

type Attempt = { calls: Call[]; tokens: Record<string, TokenInfo> };

const text = (t: string, isError = false): CallToolResult => ({ content: [{ type: 'text', text: t }], ...(isError ? { isError: true } : {}) });

export function createFunctorMcpServer(o: FunctorMcpOptions): McpServer {
  const { context, signer, net, pub, keyStore } = o;
  const names = Object.fromEntries(Object.entries(o.tokens ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const session = sessionContextOf(context, net.entryPoint);
  let client: Promise<ReturnType<typeof smartAccountClientFor>> | undefined;
  const clientOf = () => (client ??= toFunctorSessionAccount({ client: pub, context: session, signer }).then((account) => smartAccountClientFor(net, account)));
  let lastRefused: Attempt | undefined;

  const server = new McpServer(
    { name: 'functor-agent', version: '0.1.0' },
    {
      instructions:
        `You act on smart account ${context.account} (${context.kind}, chain ${context.chainId}) with a Functor session key. ` +
        'The owner set limits onchain (spend per token and window, allowed calls, expiry, a gas bound); ' +
        'call `status` first, keep within them, and use `explain` when an attempt is refused. No tool can change a limit.',
    },
  );

  async function resolveToken(t: string | undefined): Promise<{ address?: Address; info: TokenInfo }> {
    if (t === undefined) return { info: NATIVE };
    const named = names[t.toLowerCase()];
    if (!named && !isAddress(t, { strict: false })) {
      throw new InputError(`token '${t}': not an address${Object.keys(names).length ? ` nor one of ${Object.keys(names).join(', ')}` : ''}`);
    }
    const a = named ?? getAddress(t);
    return { address: a, info: await tokenInfo(pub, a) };
  }

  async function transferAttempt(a: { to: Address; amount: string; token?: string }): Promise<Attempt> {
    const t = await resolveToken(a.token);
    const frac = a.amount.split('.')[1];
    if (frac && frac.length > t.info.decimals) throw new InputError(`amount ${a.amount}: ${t.info.symbol} has ${t.info.decimals} decimals`);
    const value = parseUnits(a.amount, t.info.decimals);
    const calls: Call[] = t.address
      ? [{ to: t.address, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [a.to, value] }) }]
      : [{ to: a.to, value }];
    return { calls, tokens: { [(t.address ?? zeroAddress).toLowerCase()]: t.info } };
  }

  /** Token symbols and decimals for the account's limits, so a refusal reads in token units. */
  async function limitTokens(): Promise<Record<string, TokenInfo>> {
    const s = await readGrantStatus(pub, { context, keyStore, entryPoint: net.entryPoint });
    const out: Record<string, TokenInfo> = {};
    for (const sp of s.spends) {
      if (sp.token === 'native') out[zeroAddress] = NATIVE;
      else out[sp.token.toLowerCase()] = await tokenInfo(pub, sp.token);
    }
    return out;
  }

  /** A refusal from the bundler or the receipt, made readable; worked out from chain state when the account hid it. */
  async function explainOf(refusal: Refusal, calls: Call[]): Promise<Refusal> {
    if (refusal.error !== 'ExecutionFailed' && refusal.error !== 'Unknown') return refusal;
    const explained = await explainRefusal(pub, { keyStore, hook: context.hook, account: context.account, keyId: context.keyId }, calls);
    return explained ? { ...explained, stage: refusal.stage } : refusal;
  }

  async function act(attempt: Attempt, what: string): Promise<CallToolResult> {
    const res = await sendCalls(await clientOf(), session, attempt.calls);
    if (res.ok) {
      return text(`${what}: landed.\nuserOp ${res.userOpHash}\ntransaction ${res.transactionHash} (gas used ${res.gasUsed})`);
    }
    lastRefused = attempt;
    const r = await explainOf(res.refusal, attempt.calls);
    const tokens = { ...(await limitTokens()), ...attempt.tokens };
    const where = res.transactionHash
      ? `reverted onchain in tx ${res.transactionHash}`
      : "not sent (refused in the bundler's simulation: nothing moved, nothing paid)";
    return text(`${what}: refused in ${r.stage}: ${describeRefusal(r, tokens)}\n${where}`, true);
  }

  /** Runs a handler; anything thrown becomes a readable isError result, not a crash. */
  const guard =
    <A>(f: (a: A) => Promise<CallToolResult>) =>
    async (a: A): Promise<CallToolResult> => {
      try {
        return await f(a);
      } catch (err) {
        if (err instanceof InputError) return text(`invalid input: ${err.message}`, true);
        const e = err as Error & { shortMessage?: string };
        return text(`could not run: ${e.shortMessage ?? e.message}`, true);
      }
    };

  server.registerTool(
    'status',
    {
      title: 'Grant status',
      description:
        "Whether the session key is active on the account; each spend limit's use, what is left and when it resets; the rate limit; the expiry; and the gas bound (ops made and left, the most they may cost).",
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    guard(async () => {
      const s = await readGrantStatus(pub, { context, keyStore, entryPoint: net.entryPoint, signer: signer.address });
      return text([`active    ${s.active ? 'yes' : 'no'}`, ...s.lines].join('\n'));
    }),
  );

  server.registerTool(
    'send',
    {
      title: 'Send tokens',
      description:
        "Transfers `amount` (in token units) of `token` (or the chain's coin) from the account to `to`, within the grant's limits. Refused when over a limit; then nothing moves.",
      inputSchema: sendInput,
      annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    guard(async (a: { to: Address; amount: string; token?: string }) => {
      const attempt = await transferAttempt(a);
      return act(attempt, `send ${a.amount} ${Object.values(attempt.tokens)[0]!.symbol} to ${a.to}`);
    }),
  );

  server.registerTool(
    'call',
    {
      title: 'Call a contract',
      description:
        'Calls `to` with `data` (and `value` wei) from the account, if the grant allows that contract and function. Refused otherwise; then nothing happens.',
      inputSchema: callInput,
      annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    guard(async (a: { to: Address; data: Hex; value?: bigint }) => {
      const call: Call = { to: a.to, data: a.data, ...(a.value ? { value: a.value } : {}) };
      return act({ calls: [call], tokens: {} }, `call ${a.to} ${a.data.slice(0, 10)}`);
    }),
  );

  server.registerTool(
    'surrender',
    {
      title: 'Give the key back',
      description:
        "Ends this session key for good, on every account of this chain (when the agent shuts down, or its key may have leaked). Signs the KeyStore's surrender and returns the transaction anyone may send (it needs no ETH from the agent); nothing else can be done with it.",
      inputSchema: surrenderInput,
      annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guard(async () => {
      const s = await signSurrender({ chainId: context.chainId, keyStore, keyId: context.keyId, signer });
      return text(
        [
          `surrender of key ${context.keyId} signed: send this transaction from any funded account to end the key everywhere on chain ${context.chainId}`,
          `to   ${s.call.to}`,
          `data ${s.call.data}`,
        ].join('\n'),
      );
    }),
  );

  server.registerTool(
    'explain',
    {
      title: 'Explain a refusal',
      description:
        "Why an attempt is refused, worked out from the chain's state now (the key's state, expiry, allowed calls, spend and rate limits). Without arguments: the last refused send or call of this session. With kind 'send' (to, amount, token) or 'call' (to, data, value): that attempt, without sending it.",
      inputSchema: explainInput,
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    guard(async (a: { kind?: 'send' | 'call'; to?: Address; amount?: string; token?: string; data?: Hex; value?: bigint }) => {
      let attempt: Attempt;
      if (a.kind === 'send') {
        if (!a.to || !a.amount) throw new InputError("kind 'send' needs to and amount");
        attempt = await transferAttempt({ to: a.to, amount: a.amount, token: a.token });
      } else if (a.kind === 'call') {
        if (!a.to || !a.data) throw new InputError("kind 'call' needs to and data");
        attempt = { calls: [{ to: a.to, data: a.data, ...(a.value ? { value: a.value } : {}) }], tokens: {} };
      } else if (lastRefused) attempt = lastRefused;
      else return text('nothing to explain: no attempt was refused in this session (pass kind, to and amount or data to check one)');
      const status = await readGrantStatus(pub, { context, keyStore, entryPoint: net.entryPoint });
      const tokens = { ...(await limitTokens()), ...attempt.tokens };
      const reasons: string[] = [];
      const r = await explainRefusal(pub, { keyStore, hook: context.hook, account: context.account, keyId: context.keyId }, attempt.calls);
      if (r) reasons.push(describeRefusal(r, tokens));
      const now = Number((await pub.getBlock()).timestamp);
      if (status.expiry && status.expiry <= now)
        reasons.push(describeRefusal({ error: 'KeyExpired', args: [context.keyId, status.expiry], stage: 'validation', raw: '' }));
      if (status.validAfter && status.validAfter > now) reasons.push(`key not valid before ${new Date(status.validAfter * 1000).toISOString()}`);
      if (status.ops && status.ops.left === 0)
        reasons.push(describeRefusal({ error: 'OpCeilingReached', args: [status.ops.made, status.ops.ceiling], stage: 'validation', raw: '' }));
      if (reasons.length === 0) {
        return text(
          'nothing in the chain state refuses this now: it is within the limits (a window may have freed up since, or the refusal was about gas fees: retry)',
        );
      }
      return text(`refused: ${reasons.join('; ')}`);
    }),
  );

  return server;
}

/** A mistake in a tool's arguments the schema could not catch (e.g. an unknown token name). */
class InputError extends Error {}
