// `functor-agent`: the agent's side of a grant, from a shell. It holds a session key (a file the
// dapp's `to` names), takes the `context` the wallet answered to the dapp, and sends ERC-20 or
// native transfers as UserOps through lib/agent (or, with --via erc7710, as redemptions through the
// chain's DelegationManager with MetaMask's kit), printing the UserOp hash, the result and, when
// refused, the reason in words. Node only (files, process): an app over lib/, which the extension
// shares and which never imports it.
//
// Exit codes: 0 done, 1 refused by the policy (or the key is not active), 2 usage error,
// 3 could not run (chain or bundler unreachable, wrong chain, ...).
import { parseCli, USAGE } from './args.js';
import { mcp } from './commands/mcp.js';
import { newKey } from './commands/newKey.js';
import { send } from './commands/send.js';
import { status } from './commands/status.js';
import { surrender } from './commands/surrender.js';
import { EXIT, type Io, UsageError } from './io.js';

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
    if (c.command === 'surrender') return await surrender(c, io);
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
