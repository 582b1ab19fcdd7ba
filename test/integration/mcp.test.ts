// `functor-agent mcp` as an MCP host runs it (issue 15, part 3): the SDK's own Client spawns
// `node bin/functor-agent.mjs mcp ...` over stdio (StdioClientTransport), with a key file and the
// context a dapp saved, on real accounts through Alto. Within the limit a send lands; over it the
// tool result is an error with the spend-limit reason and nothing moves; explain gives the reason
// from chain state; no tool widens a limit and nothing returns the key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { type Address, type Hex, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_KINDS, type AccountKind } from '../../lib/accounts/kinds.js';
import { encodeContext } from '../../lib/erc7715/response.js';
import { setUpWorld, USDC, type World } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'functor-mcp-'));
const file = (name: string) => path.join(dir, name);
let w: World;

beforeAll(async () => {
  w = await setUpWorld();
  writeFileSync(file('devnet.json'), JSON.stringify(w.c, null, 2));
});
afterAll(async () => {
  await w?.devnet.stop();
});

type Result = Awaited<ReturnType<Client['callTool']>>;
const textOf = (r: Result) => (r.content as { type: string; text: string }[]).map((c) => c.text).join('\n');

describe.each(ACCOUNT_KINDS)('functor-agent mcp on a %s account', (kind: AccountKind) => {
  const key: Hex = generatePrivateKey();
  const bob = `0x000000000000000000000000000000000000b0${kind.length.toString(16).padStart(2, '0')}` as Address;
  let client: Client;
  let account: Address;
  const call = (name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args });

  beforeAll(async () => {
    const owner = await w.ownerWithFunctor(kind);
    account = owner.account.address;
    const keyId = await w.grantKey(owner, `mcp-${kind}`, privateKeyToAccount(key).address, await w.usdcPermission(kind));
    // What the dapp saved: an answer element with the context (its other fields do not matter here).
    const context = encodeContext({ chainId: w.c.chainId, account, keyId, validator: w.c.functor.validator, hook: w.c.functor.policyHook, kind });
    writeFileSync(file(`context-${kind}.json`), JSON.stringify({ chainId: toHex(w.c.chainId), context }));
    writeFileSync(file(`agent-${kind}.key`), key + '\n', { mode: 0o600 });

    client = new Client({ name: 'functor-test-host', version: '0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [
          path.join(root, 'bin', 'functor-agent.mjs'),
          'mcp',
          '--context',
          file(`context-${kind}.json`),
          '--key',
          file(`agent-${kind}.key`),
          '--devnet',
          file('devnet.json'),
        ],
        cwd: dir,
        env: { ...process.env, DO_NOT_TRACK: '1' } as Record<string, string>,
        stderr: 'ignore',
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
  });

  it('lists status, send, call and explain; none can widen a limit', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toStrictEqual(['call', 'explain', 'send', 'status', 'surrender']);
    for (const t of tools) expect(t.name).not.toMatch(/grant|widen|increase|raise|renew|rotate|register|polic|limit|revoke|approve/i);
  });

  it('status: active, 0/100 USDC, the expiry and the gas bound', async () => {
    const r = await call('status');
    expect(r.isError, textOf(r)).toBeFalsy();
    const t = textOf(r);
    expect(t).toMatch(/^active\s+yes$/m);
    expect(t).toMatch(/^spend\s+0 \/ 100 USDC in the last 24 h \(left: 100 USDC\)$/m);
    expect(t).toMatch(/^expiry\s+\d{4}-\d\d-\d\dT/m);
    expect(t).toMatch(/^ops\s+\d+ made on the key's lane, [\d,]+ left/m);
    expect(t).toMatch(/^gas\s+at most [\d.]+ ETH per operation/m);
  });

  it('send within the limit lands', async () => {
    const r = await call('send', { to: bob, amount: '60', token: 'usdc' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toMatch(/landed/);
    expect(await w.usdcBalance(bob)).toBe(USDC(60));
  });

  it('send over the limit is an error result with the spend-limit reason, and nothing moves', async () => {
    const held = await w.usdcBalance(account);
    const r = await call('send', { to: bob, amount: '50', token: 'usdc' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/spend limit: 60\/100 USDC used in the window, asked 50/);
    expect(await w.usdcBalance(bob)).toBe(USDC(60));
    expect(await w.usdcBalance(account)).toBe(held);
  });

  it('explain gives the reason of the last refusal, from chain state', async () => {
    const r = await call('explain');
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toMatch(/spend limit: 60\/100 USDC used in the window, asked 50/);
  });

  it('a call outside the grant is refused in words; explain says which call', async () => {
    const r = await call('call', { to: w.c.tokens.dai, data: '0x70a08231' + '0'.repeat(64) });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/call not allowed/);
    expect(textOf(await call('explain'))).toMatch(/call not allowed: 0x[0-9a-fA-F]{40} 0x70a08231/);
  });

  it('nothing the server said carries the key', async () => {
    const all = [await call('status'), await call('explain'), await call('send', { to: '0xbad', amount: '1' })];
    for (const r of all) expect(JSON.stringify(r).toLowerCase()).not.toContain(key.slice(2).toLowerCase());
  });
});
