// `functor-agent`: the agent's side of a grant, from a shell. It holds a session key (a file the
// dapp's `to` names), takes the `context` the wallet answered to the dapp, and sends ERC-20 or
// native transfers as UserOps through lib/agent, printing the UserOp hash, the result and, when
// refused, the reason in words. Node only (files, process); the extension never imports it.
//
// Exit codes: 0 done, 1 refused by the policy (or the key is not active), 2 usage error,
// 3 could not run (chain or bundler unreachable, wrong chain, ...).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type Address,
  type Chain,
  createPublicClient,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  type Hex,
  http,
  isAddress,
  parseUnits,
  toHex,
  type PublicClient,
  type Transport,
  zeroAddress,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { z } from 'zod';
import { functorValidatorAbi } from '../abi/generated.js';
import { devnetChain, type Network, publicClientFor, smartAccountClientFor } from '../accounts/clients.js';
import { type DevnetConfig, parseDevnetConfig } from '../chain/devnetConfig.js';
import { decodeContext, type FunctorPermissionContext, sessionContextOf } from '../erc7715/response.js';
import type { Call } from '../functorMode.js';
import { explainRefusal } from './explain.js';
import { describeRefusal, type Refusal } from './refusal.js';
import { sendCalls } from './sendCalls.js';
import { NATIVE, readGrantStatus, tokenInfo } from './status.js';
import { toFunctorSessionAccount } from './sessionAccount.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createFunctorMcpServer } from './mcp/server.js';

export const EXIT = { ok: 0, refused: 1, usage: 2, failed: 3 } as const;

export const USAGE = `functor-agent: act with a Functor session key

  functor-agent new-key [--out FILE] [--force]
      Generates a session key, writes its private key to FILE (default agent.key, mode 0600)
      and prints its address: the \`to\` a dapp puts in its permission request.

  functor-agent send --context FILE_OR_HEX --key FILE --to ADDRESS --amount N [--token ADDRESS|usdc|dai]
                     [--index I] [--devnet FILE | --rpc URL --bundler URL]
      Sends N tokens (in token units: 60 = 60 USDC; the chain's coin without --token) to ADDRESS
      as a UserOp signed by the session key. Prints the UserOp hash, where it landed, or why it
      was refused.

  functor-agent status --context FILE_OR_HEX [--key FILE] [--index I] [--devnet FILE | --rpc URL --bundler URL]
      Shows whether the key is active on the account and its usage against each limit.

  functor-agent mcp --context FILE_OR_HEX --key FILE [--index I] [--devnet FILE | --rpc URL --bundler URL]
      Runs a Model Context Protocol server on stdin/stdout for an MCP host (an AI agent): tools
      status, send, call and explain, within the grant. None can change a limit; none returns the key.

  --context   the JSON the dapp saved (an ERC-7715 answer element, or the array of them; --index
              picks one of several) or a bare 0x-hex context
  --devnet    the devnet's JSON (default $FUNCTOR_DEVNET_FILE or .devnet/devnet.json)
  --rpc, --bundler   any other chain: its JSON-RPC and ERC-4337 bundler URLs

Exit codes: 0 done, 1 refused, 2 usage error, 3 could not run.`;

/** A mistake in how the command was called: exit 2 with the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Could not run (not a usage mistake, not a refusal): exit 3. */
class Failure extends Error {}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

export type NetworkSource = { kind: 'devnet'; file: string } | { kind: 'rpc'; rpc: string; bundler: string };

export type Command =
  | { command: 'help' }
  | { command: 'new-key'; out: string; force: boolean }
  | {
      command: 'send';
      context: string;
      index?: number;
      key: string;
      to: Address;
      amount: string;
      /** An address, or a token named in the devnet's JSON; undefined: the chain's coin. */
      token?: Address | 'usdc' | 'dai';
      network: NetworkSource;
    }
  | { command: 'status'; context: string; index?: number; key?: string; network: NetworkSource }
  | { command: 'mcp'; context: string; index?: number; key: string; network: NetworkSource };

const OPTIONS = {
  out: { type: 'string' },
  force: { type: 'boolean' },
  context: { type: 'string' },
  index: { type: 'string' },
  key: { type: 'string' },
  to: { type: 'string' },
  amount: { type: 'string' },
  token: { type: 'string' },
  devnet: { type: 'string' },
  rpc: { type: 'string' },
  bundler: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), 'not an address')
  .transform((s) => getAddress(s));
const amount = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'a positive decimal number, e.g. 60 or 0.5')
  .refine((s) => /[1-9]/.test(s), 'must be more than 0');
const token = z.union([z.enum(['usdc', 'dai']), address], { errorMap: () => ({ message: "an address, 'usdc' or 'dai'" }) });
const index = z.coerce.number({ invalid_type_error: 'a number' }).int('a whole number').min(0, 'at least 0');
const url = z.string().url('not a URL');
const networkFields = { devnet: z.string().min(1).optional(), rpc: url.optional(), bundler: url.optional() };
const contextFields = { context: z.string({ required_error: 'required' }).min(1, 'required'), index: index.optional() };

const schemas = {
  'new-key': z.object({ out: z.string().min(1).default('agent.key'), force: z.boolean().default(false) }).strict(),
  send: z
    .object({
      ...contextFields,
      ...networkFields,
      key: z.string({ required_error: 'required: the session key file (functor-agent new-key)' }),
      to: z.string({ required_error: 'required: the recipient' }).pipe(address),
      amount: z.string({ required_error: 'required: how much to send' }).pipe(amount),
      token: token.optional(),
    })
    .strict(),
  status: z.object({ ...contextFields, ...networkFields, key: z.string().optional() }).strict(),
  mcp: z
    .object({ ...contextFields, ...networkFields, key: z.string({ required_error: 'required: the session key file (functor-agent new-key)' }) })
    .strict(),
} as const;

function networkOf(v: { devnet?: string; rpc?: string; bundler?: string }, env: NodeJS.ProcessEnv): NetworkSource {
  if (v.rpc !== undefined || v.bundler !== undefined) {
    if (v.devnet !== undefined) throw new UsageError('--devnet and --rpc/--bundler: give one or the other');
    if (v.rpc === undefined || v.bundler === undefined) throw new UsageError('--rpc and --bundler go together');
    return { kind: 'rpc', rpc: v.rpc, bundler: v.bundler };
  }
  return { kind: 'devnet', file: v.devnet ?? env.FUNCTOR_DEVNET_FILE ?? '.devnet/devnet.json' };
}

/** argv (without node and the script) → a command, or a UsageError naming what is wrong. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  const [name, ...extra] = positionals;
  if (values.help || name === undefined || name === 'help') return { command: 'help' };
  if (!(name in schemas)) throw new UsageError(`unknown command '${name}': new-key, send, status or mcp`);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const { help: _, ...opts } = values;
  const r = schemas[name as keyof typeof schemas].safeParse(opts);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path[0];
    const why = issue.code === 'unrecognized_keys' ? `not an option of ${name}` : issue.message;
    throw new UsageError(`--${String(field)}: ${why}`);
  }
  const v = r.data as Record<string, unknown>;
  if (name === 'new-key') return { command: 'new-key', out: v.out as string, force: v.force as boolean };
  const network = networkOf(v as { devnet?: string; rpc?: string; bundler?: string }, env);
  if (name === 'status') {
    return { command: 'status', context: v.context as string, index: v.index as number | undefined, key: v.key as string | undefined, network };
  }
  if (name === 'mcp') return { command: 'mcp', context: v.context as string, index: v.index as number | undefined, key: v.key as string, network };
  if (network.kind === 'rpc' && (v.token === 'usdc' || v.token === 'dai')) {
    throw new UsageError(`--token ${v.token}: token names come from the devnet's JSON; with --rpc give the token's address`);
  }
  return {
    command: 'send',
    context: v.context as string,
    index: v.index as number | undefined,
    key: v.key as string,
    to: v.to as Address,
    amount: v.amount as string,
    token: v.token as Address | 'usdc' | 'dai' | undefined,
    network,
  };
}

// ---------------------------------------------------------------------------------------------
// Context and key files
// ---------------------------------------------------------------------------------------------

const HEX = /^0x[0-9a-fA-F]*$/;

/** The context hex out of what a dapp saved: an answer element, an array of them, or a bare hex. */
export function contextFromJson(json: unknown, index?: number): Hex {
  if (typeof json === 'string') return json as Hex;
  if (Array.isArray(json)) {
    if (json.length === 0) throw new UsageError('--context: the file holds no grant (an empty array)');
    if (index !== undefined) {
      if (index >= json.length) throw new UsageError(`--index ${index}: the file holds ${json.length} grant(s)`);
      return contextFromJson(json[index]);
    }
    const all = json.map((e) => contextFromJson(e).toLowerCase());
    if (new Set(all).size > 1) throw new UsageError(`--context: the file holds ${json.length} grants: pick one with --index`);
    return contextFromJson(json[0]);
  }
  if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    // `context` (ERC-7715), `permissionsContext` (the earlier draft, viem/experimental).
    const c = o.context ?? o.permissionsContext;
    if (typeof c === 'string') return c as Hex;
  }
  throw new UsageError('--context: no `context` field found (expected an ERC-7715 answer element, an array of them, or a 0x-hex context)');
}

export type LoadedContext = { hex: Hex; context: FunctorPermissionContext };

/** `--context`: a bare hex, or a file holding one or the dapp's JSON. */
export function loadContext(input: string, index?: number, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): LoadedContext {
  let hex: Hex;
  const text = input.trim();
  if (HEX.test(text)) {
    hex = text as Hex;
  } else {
    let body: string;
    try {
      body = readFile(input).trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`--context ${input}: ${code === 'ENOENT' ? 'no such file, and not a 0x-hex context' : (err as Error).message}`);
    }
    if (HEX.test(body)) {
      hex = body as Hex;
    } else {
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new UsageError(`--context ${input}: neither JSON nor a 0x-hex context`);
      }
      hex = contextFromJson(json, index);
    }
  }
  try {
    return { hex, context: decodeContext(hex, 'context') };
  } catch (err) {
    throw new UsageError(`--${(err as Error).message}`);
  }
}

/** A key file: the private key as 0x-hex (what new-key writes), or JSON `{ privateKey }`. */
export function loadKey(file: string, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')) {
  let body: string;
  try {
    body = readFile(file).trim();
  } catch (err) {
    throw new UsageError(`--key ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let key: unknown = body;
  if (body.startsWith('{')) {
    try {
      key = (JSON.parse(body) as { privateKey?: unknown }).privateKey;
    } catch {
      throw new UsageError(`--key ${file}: not JSON nor a 0x-hex private key`);
    }
  }
  if (typeof key !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError(`--key ${file}: not a 0x-hex private key (32 bytes)`);
  return privateKeyToAccount(key as Hex);
}

// ---------------------------------------------------------------------------------------------
// Network
// ---------------------------------------------------------------------------------------------

type Resolved = {
  net: Network;
  pub: PublicClient<Transport, Chain>;
  keyStore: Address;
  devnet?: DevnetConfig;
};

async function resolveNetwork(source: NetworkSource, ctx: FunctorPermissionContext): Promise<Resolved> {
  if (source.kind === 'devnet') {
    let devnet: DevnetConfig;
    try {
      devnet = parseDevnetConfig(JSON.parse(readFileSync(source.file, 'utf8')));
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (is the devnet running? npm run devnet)' : (err as Error).message;
      throw new UsageError(`--devnet ${source.file}: ${why}`);
    }
    if (devnet.chainId !== ctx.chainId) throw new UsageError(`the context is for chain ${ctx.chainId}, the devnet is chain ${devnet.chainId}`);
    const net: Network = { chain: devnetChain(devnet.chainId, devnet.rpcUrl), rpcUrl: devnet.rpcUrl, bundlerUrl: devnet.bundlerUrl, entryPoint: devnet.entryPoint };
    return { net, pub: publicClientFor(net), keyStore: devnet.functor.keyStore, devnet };
  }
  const probe = createPublicClient({ transport: http(source.rpc) });
  const chainId = await probe.getChainId();
  if (chainId !== ctx.chainId) throw new Failure(`the context is for chain ${ctx.chainId}, ${source.rpc} is chain ${chainId}`);
  const chain = devnetChain(chainId, source.rpc);
  const pub = createPublicClient({ chain, transport: http(source.rpc) });
  // The validator knows its KeyStore and EntryPoint: nothing else to configure.
  const [keyStore, entryPoint] = await Promise.all([
    pub.readContract({ address: ctx.validator, abi: functorValidatorAbi, functionName: 'keyStore' }),
    pub.readContract({ address: ctx.validator, abi: functorValidatorAbi, functionName: 'entryPoint' }),
  ]);
  return { net: { chain, rpcUrl: source.rpc, bundlerUrl: source.bundler, entryPoint }, pub, keyStore };
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

export type Io = { out: (line: string) => void; err: (line: string) => void; env: NodeJS.ProcessEnv };

function newKey(c: Extract<Command, { command: 'new-key' }>, io: Io): number {
  if (existsSync(c.out) && !c.force) throw new UsageError(`--out ${c.out}: the file exists (pass --force to replace it)`);
  const privateKey = generatePrivateKey();
  writeFileSync(c.out, privateKey + '\n', { mode: 0o600 });
  chmodSync(c.out, 0o600); // a replaced file keeps its old mode otherwise
  io.out(`address   ${privateKeyToAccount(privateKey).address}`);
  io.out(`key file  ${c.out} (mode 0600; keep it secret: it signs for the agent)`);
  io.out('Put the address as `to` in the dapp\'s permission request; the dapp hands you the context.');
  return EXIT.ok;
}

async function send(c: Extract<Command, { command: 'send' }>, io: Io): Promise<number> {
  const { context } = loadContext(c.context, c.index);
  const signer = loadKey(c.key);
  const { net, pub, keyStore, devnet } = await resolveNetwork(c.network, context);
  const tokenAddress: Address | undefined =
    c.token === 'usdc' || c.token === 'dai' ? devnet!.tokens[c.token] : c.token;
  const info = tokenAddress ? await tokenInfo(pub, tokenAddress) : NATIVE;
  let value: bigint;
  try {
    value = parseUnits(c.amount, info.decimals);
  } catch {
    throw new UsageError(`--amount ${c.amount}: not a valid ${info.symbol} amount`);
  }
  if (c.amount.split('.')[1] && c.amount.split('.')[1]!.length > info.decimals) {
    throw new UsageError(`--amount ${c.amount}: ${info.symbol} has ${info.decimals} decimals`);
  }
  const calls: Call[] = tokenAddress
    ? [{ to: tokenAddress, data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [c.to, value] }) }]
    : [{ to: c.to, value }];
  const session = sessionContextOf(context, net.entryPoint);
  io.out(`account   ${context.account} (${context.kind}), key ${toHex(context.keyId)}, signer ${signer.address}`);
  io.out(`sending   ${c.amount} ${info.symbol} to ${c.to}`);
  const account = await toFunctorSessionAccount({ client: pub, context: session, signer });
  const res = await sendCalls(smartAccountClientFor(net, account), session, calls);
  if (res.ok) {
    io.out(`userOp    ${res.userOpHash}`);
    io.out(`landed    in tx ${res.transactionHash} (gas used ${res.gasUsed})`);
    return EXIT.ok;
  }
  io.out(`userOp    ${res.userOpHash ?? "not sent: refused in the bundler's simulation"}`);
  if (res.transactionHash) io.out(`reverted  in tx ${res.transactionHash}`);
  let refusal: Refusal = res.refusal;
  if (refusal.error === 'ExecutionFailed' || refusal.error === 'Unknown') {
    // Safe7579 turns the hook's revert into ExecutionFailed(): work the reason out from the chain.
    const explained = await explainRefusal(pub, { keyStore, hook: context.hook, account: context.account, keyId: context.keyId }, calls);
    if (explained) refusal = { ...explained, stage: refusal.stage };
  }
  const tokens = { [(tokenAddress ?? zeroAddress).toLowerCase()]: info };
  io.out(`refused   in ${refusal.stage}: ${describeRefusal(refusal, tokens)}`);
  return EXIT.refused;
}

async function status(c: Extract<Command, { command: 'status' }>, io: Io): Promise<number> {
  const { context } = loadContext(c.context, c.index);
  const signer = c.key ? loadKey(c.key) : undefined;
  const { pub, keyStore, net } = await resolveNetwork(c.network, context);
  const s = await readGrantStatus(pub, { context, keyStore, entryPoint: net.entryPoint, signer: signer?.address });
  for (const line of s.lines) io.out(line);
  return s.active ? EXIT.ok : EXIT.refused;
}

/**
 * The MCP server on stdio until the host closes it. stdout carries the protocol only, so nothing
 * else is printed there; the one line saying it runs goes to stderr (hosts log it).
 */
async function mcp(c: Extract<Command, { command: 'mcp' }>, io: Io): Promise<number> {
  const { context } = loadContext(c.context, c.index);
  const signer = loadKey(c.key);
  const { net, pub, keyStore, devnet } = await resolveNetwork(c.network, context);
  const server = createFunctorMcpServer({ context, signer, net, pub, keyStore, tokens: devnet?.tokens });
  const transport = new StdioServerTransport();
  await server.connect(transport);
  // The host ends the session by closing our stdin (or the protocol's close).
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  io.err(`functor-agent mcp: serving ${context.account} (${context.kind}) key 0x${context.keyId.toString(16)} on stdio`);
  await closed;
  await server.close();
  return EXIT.ok;
}

/** Runs one command; returns the exit code. Errors are printed, never thrown. */
export async function main(argv: readonly string[], io: Io = { out: console.log, err: console.error, env: process.env }): Promise<number> {
  try {
    const c = parseCli(argv, io.env);
    if (c.command === 'help') {
      io.out(USAGE);
      return EXIT.ok;
    }
    if (c.command === 'new-key') return newKey(c, io);
    if (c.command === 'send') return await send(c, io);
    if (c.command === 'mcp') return await mcp(c, io);
    return await status(c, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`functor-agent: ${err.message}`);
      io.err('Run `functor-agent --help` for usage.');
      return EXIT.usage;
    }
    const e = err as Error & { shortMessage?: string };
    io.err(`functor-agent: ${e.shortMessage ?? e.message}`);
    return EXIT.failed;
  }
}
