import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getAddress, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { encodeContext, type FunctorPermissionContext } from '../erc7715/response.js';
import { contextFromJson, EXIT, loadContext, loadKey, main, parseCli, UsageError } from './cli.js';

const CTX: FunctorPermissionContext = {
  chainId: 31337,
  account: getAddress('0x1111111111111111111111111111111111111111'),
  keyId: 42n,
  validator: getAddress('0x2222222222222222222222222222222222222222'),
  hook: getAddress('0x3333333333333333333333333333333333333333'),
  kind: 'safe',
};
const HEX = encodeContext(CTX);
const OTHER = encodeContext({ ...CTX, keyId: 43n });
const BOB = '0x000000000000000000000000000000000000b0b1';
const answer = (context: Hex) => ({ chainId: '0x7a69', permission: { type: 'erc20-token-periodic', isAdjustmentAllowed: true, data: {} }, context });

const usage = (argv: string[], env = {}) => {
  try {
    parseCli(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('parseCli', () => {
  it('reads send with a devnet file by default, from the environment when set', () => {
    expect(parseCli(['send', '--context', 'c.json', '--key', 'agent.key', '--to', BOB, '--amount', '60', '--token', 'usdc'])).toEqual({
      command: 'send',
      context: 'c.json',
      index: undefined,
      key: 'agent.key',
      to: getAddress(BOB),
      amount: '60',
      token: 'usdc',
      network: { kind: 'devnet', file: '.devnet/devnet.json' },
    });
    const c = parseCli(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '0.5'], { FUNCTOR_DEVNET_FILE: '/d.json' });
    expect(c).toMatchObject({ token: undefined, network: { kind: 'devnet', file: '/d.json' } });
  });

  it('mcp takes a context, a key and a network, and nothing to send', () => {
    expect(parseCli(['mcp', '--context', 'c.json', '--key', 'k', '--devnet', 'd.json'])).toStrictEqual({
      command: 'mcp',
      context: 'c.json',
      index: undefined,
      key: 'k',
      network: { kind: 'devnet', file: 'd.json' },
    });
    expect(usage(['mcp', '--context', 'x'])).toMatch(/^--key: required/);
    expect(usage(['mcp', '--context', 'x', '--key', 'k', '--amount', '1'])).toBe('--amount: not an option of mcp');
  });

  it('takes --rpc with --bundler, and a token address (not a devnet name) with them', () => {
    const c = parseCli(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '1', '--rpc', 'http://a:1', '--bundler', 'http://b:2', '--token', BOB]);
    expect(c).toMatchObject({ token: getAddress(BOB), network: { kind: 'rpc', rpc: 'http://a:1', bundler: 'http://b:2' } });
    expect(usage(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '1', '--rpc', 'http://a:1', '--bundler', 'http://b:2', '--token', 'usdc'])).toMatch(/token names come from the devnet/);
    expect(usage(['status', '--context', 'x', '--rpc', 'http://a:1'])).toBe('--rpc and --bundler go together');
    expect(usage(['status', '--context', 'x', '--rpc', 'http://a:1', '--bundler', 'http://b', '--devnet', 'd.json'])).toMatch(/one or the other/);
  });

  it('names the bad option and why', () => {
    expect(usage(['send', '--key', 'k', '--to', BOB, '--amount', '1'])).toBe('--context: required');
    expect(usage(['send', '--context', 'x', '--key', 'k', '--to', '0x12', '--amount', '1'])).toBe('--to: not an address');
    expect(usage(['send', '--context', 'x', '--key', 'k', '--amount', '1'])).toBe('--to: required: the recipient');
    expect(usage(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '1e5'])).toMatch(/^--amount: a positive decimal/);
    expect(usage(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '-1'])).toMatch(/'--amount' argument is ambiguous/);
    expect(usage(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '0.00'])).toBe('--amount: must be more than 0');
    expect(usage(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '1', '--token', 'weth'])).toMatch(/^--token: an address, 'usdc' or 'dai'/);
    expect(usage(['status', '--context', 'x', '--to', BOB])).toBe('--to: not an option of status');
    expect(usage(['status', '--context', 'x', '--index=-1'])).toBe('--index: at least 0');
    expect(usage(['status', '--context', 'x', '--index', 'two'])).toBe('--index: a number');
    expect(usage(['send', '--bogus'])).toMatch(/Unknown option '--bogus'/);
    expect(usage(['sned'])).toMatch(/unknown command 'sned'/);
    expect(usage(['status', 'extra', '--context', 'x'])).toBe("unexpected argument 'extra'");
  });

  it('new-key defaults to agent.key; no command or --help is help', () => {
    expect(parseCli(['new-key'])).toEqual({ command: 'new-key', out: 'agent.key', force: false });
    expect(parseCli(['new-key', '--out', 'a.key', '--force'])).toEqual({ command: 'new-key', out: 'a.key', force: true });
    expect(parseCli([])).toEqual({ command: 'help' });
    expect(parseCli(['send', '-h'])).toEqual({ command: 'help' });
  });
});

describe('loading the context', () => {
  const files = (map: Record<string, string>) => (p: string) => {
    if (!(p in map)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return map[p]!;
  };

  it('takes a bare hex, a file holding one, an answer element, or the array the dapp got', () => {
    expect(loadContext(HEX).context).toEqual(CTX);
    expect(loadContext('h.txt', undefined, files({ 'h.txt': `${HEX}\n` })).context).toEqual(CTX);
    expect(loadContext('one.json', undefined, files({ 'one.json': JSON.stringify(answer(HEX)) })).hex).toBe(HEX);
    expect(loadContext('all.json', undefined, files({ 'all.json': JSON.stringify([answer(HEX)]) })).hex).toBe(HEX);
    // the earlier draft's answer (viem/experimental): permissionsContext
    expect(contextFromJson({ expiry: 1, grantedPermissions: [], permissionsContext: HEX })).toBe(HEX);
  });

  it('asks for --index when an array holds different grants', () => {
    const both = [answer(HEX), answer(OTHER)];
    expect(() => contextFromJson(both)).toThrow('the file holds 2 grants: pick one with --index');
    expect(contextFromJson(both, 1)).toBe(OTHER);
    expect(() => contextFromJson(both, 2)).toThrow('--index 2: the file holds 2 grant(s)');
    expect(contextFromJson([answer(HEX), answer(HEX)])).toBe(HEX);
    expect(() => contextFromJson([])).toThrow(/empty array/);
  });

  it('refuses what is not a Functor context, saying why', () => {
    expect(() => loadContext('missing.json', undefined, files({}))).toThrow('--context missing.json: no such file, and not a 0x-hex context');
    expect(() => loadContext('bad.json', undefined, files({ 'bad.json': '{nope' }))).toThrow(/neither JSON nor a 0x-hex context/);
    expect(() => loadContext('x.json', undefined, files({ 'x.json': '{"chainId":"0x1"}' }))).toThrow(/no `context` field/);
    expect(() => loadContext('0x1234')).toThrow(/--context: not a Functor permission context/);
    // a dirty high byte in the account word
    const dirty = (HEX.slice(0, 2 + 64 * 2) + 'ff' + HEX.slice(2 + 64 * 2 + 2)) as Hex;
    expect(() => loadContext(dirty)).toThrow(UsageError);
  });
});

describe('key files', () => {
  it('new-key writes a 0600 key file that loadKey reads back, and will not overwrite it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'functor-cli-'));
    const out = path.join(dir, 'agent.key');
    const lines: string[] = [];
    const io = { out: (l: string) => void lines.push(l), err: (l: string) => void lines.push(l), env: {} };
    expect(await main(['new-key', '--out', out], io)).toBe(EXIT.ok);
    const address = lines[0]!.match(/^address\s+(0x[0-9a-fA-F]{40})$/)![1];
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(loadKey(out).address).toBe(address);
    expect(await main(['new-key', '--out', out], io)).toBe(EXIT.usage);
    expect(lines.at(-2)).toMatch(/the file exists/);
    const before = readFileSync(out, 'utf8');
    expect(await main(['new-key', '--out', out, '--force'], io)).toBe(EXIT.ok);
    expect(readFileSync(out, 'utf8')).not.toBe(before);
  });

  it('reads JSON { privateKey } too, and refuses anything else', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'functor-cli-'));
    const pk = generatePrivateKey();
    writeFileSync(path.join(dir, 'k.json'), JSON.stringify({ privateKey: pk }));
    expect(loadKey(path.join(dir, 'k.json')).address).toBe(privateKeyToAccount(pk).address);
    writeFileSync(path.join(dir, 'bad'), '0x1234');
    expect(() => loadKey(path.join(dir, 'bad'))).toThrow(/not a 0x-hex private key/);
    expect(() => loadKey(path.join(dir, 'none'))).toThrow(/no such file/);
  });

  it('a missing devnet file is a usage error that says to start the devnet', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'functor-cli-'));
    const key = path.join(dir, 'k');
    writeFileSync(key, generatePrivateKey());
    const errs: string[] = [];
    const io = { out: () => {}, err: (l: string) => void errs.push(l), env: {} };
    const code = await main(['send', '--context', HEX, '--key', key, '--to', BOB, '--amount', '1', '--devnet', path.join(dir, 'none.json')], io);
    expect(code).toBe(EXIT.usage);
    expect(errs[0]).toMatch(/no such file \(is the devnet running\? npm run devnet\)/);
  });
});
