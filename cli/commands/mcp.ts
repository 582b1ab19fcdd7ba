// `functor-agent mcp`: the MCP server (lib/agent/mcp/server.ts, no node APIs) wired to stdio.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createFunctorMcpServer } from '../../lib/agent/mcp/server.js';
import type { Command } from '../args.js';
import { loadContext, loadKey } from '../inputs.js';
import { EXIT, type Io } from '../io.js';
import { resolveNetwork } from '../network.js';

/**
 * The MCP server on stdio until the host closes it. stdout carries the protocol only, so nothing
 * else is printed there; the one line saying it runs goes to stderr (hosts log it).
 */
export async function mcp(c: Extract<Command, { command: 'mcp' }>, io: Io): Promise<number> {
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
