import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { encodeContext, type FunctorPermissionContext } from '../lib/erc7715/response.js';
import { loadKey } from './inputs.js';
import { EXIT } from './io.js';
import { main } from './main.js';

const CTX: FunctorPermissionContext = {
  chainId: 31337,
  account: getAddress('0x1111111111111111111111111111111111111111'),
  keyId: 42n,
  validator: getAddress('0x2222222222222222222222222222222222222222'),
  hook: getAddress('0x3333333333333333333333333333333333333333'),
  kind: 'safe',
};
const HEX = encodeContext(CTX);
const BOB = '0x000000000000000000000000000000000000b0b1';

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

  /** `send` with a fresh key file and a devnet file that does not exist: the exit code and the errors. */
  async function sendWithoutDevnet(...extra: string[]) {
    const dir = mkdtempSync(path.join(tmpdir(), 'functor-cli-'));
    const key = path.join(dir, 'k');
    writeFileSync(key, generatePrivateKey());
    const errs: string[] = [];
    const io = { out: () => {}, err: (l: string) => void errs.push(l), env: {} };
    const code = await main(['send', '--context', HEX, '--key', key, '--to', BOB, '--amount', '1', ...extra, '--devnet', path.join(dir, 'none.json')], io);
    return { code, errs };
  }

  it('a missing devnet file is a usage error that says to start the devnet', async () => {
    const { code, errs } = await sendWithoutDevnet();
    expect(code).toBe(EXIT.usage);
    expect(errs[0]).toMatch(/no such file \(is the devnet running\? npm run devnet\)/);
  });

  it('--via erc7710 on a grant whose context names no DelegationManager: a usage error that says to use the default path', async () => {
    const { code, errs } = await sendWithoutDevnet('--via', 'erc7710');
    expect(code).toBe(EXIT.usage);
    expect(errs[0]).toBe("functor-agent: this grant's chain has no DelegationManager: use the default path");
  });
});
