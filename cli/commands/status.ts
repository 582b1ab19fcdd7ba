// `functor-agent status`: whether the key is active on the account, and its usage against each limit.
import { readGrantStatus } from '../../lib/agent/status.js';
import type { Command } from '../args.js';
import { loadContext, loadKey } from '../inputs.js';
import { EXIT, type Io } from '../io.js';
import { resolveNetwork } from '../network.js';

export async function status(c: Extract<Command, { command: 'status' }>, io: Io): Promise<number> {
  const { context } = loadContext(c.context, c.index);
  const signer = c.key ? loadKey(c.key) : undefined;
  const { pub, keyStore, net } = await resolveNetwork(c.network, context);
  const s = await readGrantStatus(pub, { context, keyStore, entryPoint: net.entryPoint, signer: signer?.address });
  for (const line of s.lines) io.out(line);
  return s.active ? EXIT.ok : EXIT.refused;
}
