import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { parseCli } from './args.js';
import { UsageError } from './io.js';

const BOB = '0x000000000000000000000000000000000000b0b1';

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
      via: 'userop',
      network: { kind: 'devnet', file: '.devnet/devnet.json' },
    });
    const c = parseCli(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '0.5'], { FUNCTOR_DEVNET_FILE: '/d.json' });
    expect(c).toMatchObject({ token: undefined, network: { kind: 'devnet', file: '/d.json' } });
  });

  it('send --via: userop (the default) or erc7710; anything else is refused, naming both', () => {
    const base = ['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '1'];
    expect(parseCli(base)).toMatchObject({ via: 'userop' });
    expect(parseCli([...base, '--via', 'userop'])).toMatchObject({ via: 'userop' });
    expect(parseCli([...base, '--via', 'erc7710', '--token', 'usdc'])).toMatchObject({ via: 'erc7710', token: 'usdc' });
    expect(parseCli([...base, '--via=erc7710', '--rpc', 'http://a:1', '--bundler', 'http://b:2'])).toMatchObject({ via: 'erc7710', network: { kind: 'rpc' } });
    const why = "'userop' (a UserOp through the bundler, the default) or 'erc7710' (a redemption through the DelegationManager)";
    expect(usage([...base, '--via', 'erc-7710'])).toBe(`--via: ${why}`);
    expect(usage([...base, '--via', 'ERC7710'])).toBe(`--via: ${why}`);
    expect(usage([...base, '--via', ''])).toBe(`--via: ${why}`);
    expect(usage([...base, '--via'])).toMatch(/'--via <value>' argument missing/);
    expect(usage(['status', '--context', 'x', '--via', 'erc7710'])).toBe('--via: not an option of status');
    expect(usage(['mcp', '--context', 'x', '--key', 'k', '--via', 'erc7710'])).toBe('--via: not an option of mcp');
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

  it('surrender takes a context, the session key and, optionally, a funded key to send it with', () => {
    expect(parseCli(['surrender', '--context', 'c.json', '--key', 'k', '--submit-key', 's', '--devnet', 'd.json'])).toStrictEqual({
      command: 'surrender',
      context: 'c.json',
      index: undefined,
      key: 'k',
      submitKey: 's',
      network: { kind: 'devnet', file: 'd.json' },
    });
    expect(parseCli(['surrender', '--context', 'c.json', '--key', 'k', '--devnet', 'd.json'])).toMatchObject({ submitKey: undefined });
    expect(usage(['surrender', '--context', 'x'])).toMatch(/^--key: required/);
    expect(usage(['surrender', '--context', 'x', '--key', 'k', '--to', BOB])).toBe('--to: not an option of surrender');
  });

  it('takes --rpc with --bundler, and a token address (not a devnet name) with them', () => {
    const c = parseCli([
      'send',
      '--context',
      'x',
      '--key',
      'k',
      '--to',
      BOB,
      '--amount',
      '1',
      '--rpc',
      'http://a:1',
      '--bundler',
      'http://b:2',
      '--token',
      BOB,
    ]);
    expect(c).toMatchObject({ token: getAddress(BOB), network: { kind: 'rpc', rpc: 'http://a:1', bundler: 'http://b:2' } });
    expect(
      usage(['send', '--context', 'x', '--key', 'k', '--to', BOB, '--amount', '1', '--rpc', 'http://a:1', '--bundler', 'http://b:2', '--token', 'usdc']),
    ).toMatch(/token names come from the devnet/);
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
