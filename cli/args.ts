// The command line read into a command: node's parseArgs for the shape, zod for each option's
// value, and a UsageError naming the option and what is wrong with it.
import { parseArgs } from 'node:util';
import { type Address, getAddress, isAddress } from 'viem';
import { z } from 'zod';
import { UsageError } from './io.js';

export const USAGE = `functor-agent: act with a Functor session key

  functor-agent new-key [--out FILE] [--force]
      Generates a session key, writes its private key to FILE (default agent.key, mode 0600)
      and prints its address: the \`to\` a dapp puts in its permission request.

  functor-agent send --context FILE_OR_HEX --key FILE --to ADDRESS --amount N [--token ADDRESS|usdc|dai]
                     [--via userop|erc7710] [--index I] [--devnet FILE | --rpc URL --bundler URL]
      Sends N tokens (in token units: 60 = 60 USDC; the chain's coin without --token) to ADDRESS
      as a UserOp signed by the session key. Prints the UserOp hash, where it landed, or why it
      was refused.
      --via erc7710: the same transfer as a redemption of the grant through the chain's
      DelegationManager (ERC-7710, MetaMask's kit), sent from the session key's own address,
      which pays the gas itself: fund that address with ETH first. --via userop is the default.

  functor-agent status --context FILE_OR_HEX [--key FILE] [--index I] [--devnet FILE | --rpc URL --bundler URL]
      Shows whether the key is active on the account and its usage against each limit.

  functor-agent surrender --context FILE_OR_HEX --key FILE [--submit-key FILE] [--index I]
                          [--devnet FILE | --rpc URL --bundler URL]
      Gives the key back for good (the agent shuts down, or its key may have leaked): signs the
      KeyStore's surrender and prints the transaction anyone may send, or sends it from the funded
      account in --submit-key. It ends the key on every account of the chain; it does nothing else.

  functor-agent mcp --context FILE_OR_HEX --key FILE [--index I] [--devnet FILE | --rpc URL --bundler URL]
      Runs a Model Context Protocol server on stdin/stdout for an MCP host (an AI agent): tools
      status, send, call, explain and surrender, within the grant. None can widen a limit; none
      returns the key.

  --context   the JSON the dapp saved (an ERC-7715 answer element, or the array of them; --index
              picks one of several) or a bare 0x-hex context
  --devnet    the devnet's JSON (default $FUNCTOR_DEVNET_FILE or .devnet/devnet.json)
  --rpc, --bundler   any other chain: its JSON-RPC and ERC-4337 bundler URLs

Exit codes: 0 done, 1 refused, 2 usage error, 3 could not run.`;

export const VIAS = ['userop', 'erc7710'] as const;
export type Via = (typeof VIAS)[number];

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
      /** userop: a UserOp through the bundler; erc7710: a redemption through the DelegationManager. */
      via: Via;
      network: NetworkSource;
    }
  | { command: 'status'; context: string; index?: number; key?: string; network: NetworkSource }
  | { command: 'mcp'; context: string; index?: number; key: string; network: NetworkSource }
  | { command: 'surrender'; context: string; index?: number; key: string; submitKey?: string; network: NetworkSource };

const OPTIONS = {
  out: { type: 'string' },
  force: { type: 'boolean' },
  context: { type: 'string' },
  index: { type: 'string' },
  key: { type: 'string' },
  to: { type: 'string' },
  amount: { type: 'string' },
  token: { type: 'string' },
  via: { type: 'string' },
  devnet: { type: 'string' },
  rpc: { type: 'string' },
  bundler: { type: 'string' },
  'submit-key': { type: 'string' },
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
      via: z
        .enum(VIAS, {
          errorMap: () => ({ message: "'userop' (a UserOp through the bundler, the default) or 'erc7710' (a redemption through the DelegationManager)" }),
        })
        .default('userop'),
    })
    .strict(),
  status: z.object({ ...contextFields, ...networkFields, key: z.string().optional() }).strict(),
  mcp: z.object({ ...contextFields, ...networkFields, key: z.string({ required_error: 'required: the session key file (functor-agent new-key)' }) }).strict(),
  surrender: z
    .object({
      ...contextFields,
      ...networkFields,
      key: z.string({ required_error: 'required: the session key file (functor-agent new-key)' }),
      'submit-key': z.string().min(1).optional(),
    })
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
  if (!(name in schemas)) throw new UsageError(`unknown command '${name}': new-key, send, status, surrender or mcp`);
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
  if (name === 'surrender') {
    return {
      command: 'surrender',
      context: v.context as string,
      index: v.index as number | undefined,
      key: v.key as string,
      submitKey: v['submit-key'] as string | undefined,
      network,
    };
  }
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
    via: v.via as Via,
    network,
  };
}
