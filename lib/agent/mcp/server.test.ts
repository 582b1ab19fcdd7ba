// The MCP server's boundary without a chain: the tools it lists, and what a model gets back for
// bad arguments or an unreachable chain (an isError result in words, never a crash, never the key).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createPublicClient, decodeFunctionData, http, verifyTypedData } from 'viem';
import { keyStoreAbi } from '../../abi/generated.js';
import { ecdsaSignerId } from '../../keystore/ids.js';
import { surrenderTypedData } from '../../keystore/surrender.js';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devnetChain } from '../../accounts/clients.js';
import { createFunctorMcpServer, TOOL_NAMES } from './server.js';

const KEY = generatePrivateKey();
// Nothing listens there: any tool that reaches the chain fails, and must say so.
const URL_ = 'http://127.0.0.1:9';
const chain = devnetChain(31337, URL_);
const A = '0x00000000000000000000000000000000000a11ce' as const;
let client: Client;

beforeAll(async () => {
  const server = createFunctorMcpServer({
    context: { chainId: 31337, account: A, keyId: 0x1234n, validator: A, hook: A, kind: 'nexus' },
    signer: privateKeyToAccount(KEY),
    net: { chain, rpcUrl: URL_, bundlerUrl: URL_, entryPoint: A },
    pub: createPublicClient({ chain, transport: http(URL_, { retryCount: 0 }) }),
    keyStore: A,
    tokens: { usdc: A },
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  client = new Client({ name: 'test', version: '0' });
  await client.connect(b);
});
afterAll(async () => {
  await client?.close();
});

const textOf = (r: Awaited<ReturnType<Client['callTool']>>) => (r.content as { type: string; text: string }[]).map((c) => c.text).join('\n');

describe('functor MCP server: tools and input validation', () => {
  it('lists status, send, call, explain and surrender, and nothing that could widen a limit', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toStrictEqual([...TOOL_NAMES].sort());
    for (const t of tools) {
      expect(t.name).not.toMatch(/grant|widen|increase|raise|renew|rotate|register|polic|limit|revoke|approve/i);
      expect(t.description).not.toMatch(/\b(widen|increase|raise|renew|rotate|setPolicies)\b/i);
    }
    const send = tools.find((t) => t.name === 'send')!;
    expect(send.inputSchema.required?.sort()).toStrictEqual(['amount', 'to']);
  });

  it.each([
    ['send', { to: '0xnope', amount: '1' }, /not an address.*to/s],
    ['send', { to: A, amount: '-5' }, /positive decimal.*amount/s],
    ['send', { to: A, amount: '0' }, /more than 0/],
    ['send', { amount: '1' }, /to/],
    ['send', { to: A, amount: '1', extra: true, token: 5 }, /token/],
    ['call', { to: A, data: 'zz' }, /hex bytes/],
    ['call', { to: A, data: '0x12', value: '1.5' }, /whole number of wei/],
    ['explain', { kind: 'withdraw' }, /kind/],
  ] as const)('%s %j is refused with a readable reason', async (name, args, why) => {
    const r = await client.callTool({ name, arguments: args as Record<string, unknown> });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(why);
  });

  it('an unknown tool is an error, not a crash', async () => {
    const r = await client
      .callTool({ name: 'setPolicies', arguments: {} })
      .catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
    expect(r.isError).toBe(true);
  });

  it('an unknown token name is refused in words', async () => {
    const r = await client.callTool({ name: 'send', arguments: { to: A, amount: '1', token: 'doge' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/token 'doge': not an address nor one of usdc/);
  });

  it('an unreachable chain is an isError result, and no result carries the key', async () => {
    for (const [name, args] of [
      ['status', {}],
      ['send', { to: A, amount: '1', token: 'usdc' }],
      ['explain', { kind: 'call', to: A, data: '0x' }],
    ] as const) {
      const r = await client.callTool({ name, arguments: args });
      expect(r.isError, name).toBe(true);
      expect(textOf(r)).toMatch(/could not run/);
      expect(JSON.stringify(r).toLowerCase()).not.toContain(KEY.slice(2).toLowerCase());
    }
  });

  it('explain with nothing refused yet says so', async () => {
    const r = await client.callTool({ name: 'explain', arguments: {} });
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toMatch(/nothing to explain/);
  });

  it('surrender: only with confirm; signs the KeyStore surrender of this key (no chain needed), never the key', async () => {
    const refused = await client.callTool({ name: 'surrender', arguments: {} });
    expect(refused.isError).toBe(true);
    const r = await client.callTool({ name: 'surrender', arguments: { confirm: true } });
    expect(r.isError).toBeFalsy();
    const out = textOf(r);
    expect(out).not.toContain(KEY.slice(2));
    const data = out.match(/^data (0x[0-9a-fA-F]+)$/m)![1] as `0x${string}`;
    expect(out).toMatch(new RegExp(`^to   ${A}$`, 'mi'));
    const { functionName, args } = decodeFunctionData({ abi: keyStoreAbi, data });
    expect(functionName).toBe('surrender');
    const [keyId, signer, signature] = args as readonly [bigint, `0x${string}`, `0x${string}`];
    expect(keyId).toBe(0x1234n);
    const agent = privateKeyToAccount(KEY).address;
    expect(signer.toLowerCase()).toBe(ecdsaSignerId(agent).toLowerCase());
    expect(await verifyTypedData({ address: agent, signature, ...surrenderTypedData({ chainId: 31337, keyStore: A, keyId: 0x1234n }) })).toBe(true);
  });
});
