// `functor-agent` as a user runs it: a child process with a key file it generated itself, the
// context a dapp saved (an ERC-7715 answer element) and the devnet's JSON, against a real
// Kernel account through Alto. Within the limit it lands; over it, it is refused with the reason.
// `send --via erc7710` does the same as a redemption through MetaMask's DelegationManager (the
// devnet's Delegation Framework), from the session key's own address, on Kernel and Safe7579.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Address, getAddress, type Hex, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functorExecutorInstallCall, functorInstallCalls } from '../../lib/accounts/functorModules.js';
import { toPermissionResponse } from '../../lib/erc7715/response.js';
import { ROLL_CALL_GAS } from '../../lib/agent/windowRoll.js';
import { registerCall, selfAuth } from '../../lib/keystore/calls.js';
import { ecdsaSignerId, keyIdFor } from '../../lib/keystore/ids.js';
import { encodeSetPolicies, gasDefaults, selectorOf } from '../../lib/permissions/index.js';
import { DAY, setUpWorld, USDC, type World } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'functor-agent-cli-'));
const file = (name: string) => path.join(dir, name);
const bob = '0x000000000000000000000000000000000000b0bc' as Address;
let w: World;

function agent(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin', 'functor-agent.mjs'), ...args],
      { cwd: dir, env: { ...process.env, DO_NOT_TRACK: '1' } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  w = await setUpWorld();
  writeFileSync(file('devnet.json'), JSON.stringify(w.c, null, 2));
});
afterAll(async () => {
  await w?.devnet.stop();
});

describe('functor-agent against the devnet', () => {
  let address: Address;
  const send = (amount: string) =>
    agent(
      'send',
      '--context',
      file('context.json'),
      '--key',
      file('agent.key'),
      '--to',
      bob,
      '--amount',
      amount,
      '--token',
      'usdc',
      '--devnet',
      file('devnet.json'),
    );

  it('new-key gives the address a dapp puts in its request', async () => {
    const r = await agent('new-key', '--out', file('agent.key'));
    expect(r.code, r.stderr).toBe(0);
    address = r.stdout.match(/^address\s+(0x[0-9a-fA-F]{40})$/m)![1] as Address;
  });

  it('the owner grants that key 100 USDC a day on a Kernel account; the dapp saves the answer', async () => {
    const owner = await w.ownerAccount('kernel');
    const account = owner.account.address;
    await w.ownerSend(owner, [w.mint(account, USDC(1000)), ...(await functorInstallCalls('kernel', owner.account, w.c.functor))]);
    const salt = w.salt('agent-cli');
    const keyId = keyIdFor(account, salt);
    const expiry = (await w.now()) + 7 * DAY;
    await w.ownerSend(owner, [
      registerCall(w.c.functor.keyStore, salt, [ecdsaSignerId(address)], [selfAuth(account)]),
      {
        to: w.c.functor.policyHook,
        data: encodeSetPolicies(
          keyId,
          {
            calls: [{ to: w.c.tokens.usdc, selector: selectorOf('transfer(address,uint256)') }],
            spend: [{ token: w.c.tokens.usdc, limit: USDC(100), period: { kind: 'sliding', seconds: DAY } }],
            expiry,
            gas: await gasDefaults(w.pub, { kind: 'kernel', calls: 1, now: await w.now() }),
          },
          0n,
        ),
      },
    ]);
    // What the extension answers to wallet_requestExecutionPermissions, as the demo dapp saves it.
    const request = {
      chainId: toHex(w.c.chainId),
      to: address,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: true,
        data: { tokenAddress: w.c.tokens.usdc, periodAmount: toHex(USDC(100)), periodDuration: DAY },
      },
      rules: [{ type: 'expiry', data: { timestamp: expiry } }],
    };
    const answer = toPermissionResponse(request, {
      context: { chainId: w.c.chainId, account, keyId, validator: w.c.functor.validator, hook: w.c.functor.policyHook, kind: 'kernel' },
    });
    writeFileSync(file('context.json'), JSON.stringify([answer], null, 2));
  });

  it('spends 60 USDC within the limit: prints the UserOp hash and the transaction, exit 0', async () => {
    const r = await send('60');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^userOp\s+0x[0-9a-f]{64}$/m);
    expect(r.stdout).toMatch(/^landed\s+in tx 0x[0-9a-f]{64}/m);
    expect(await w.usdcBalance(bob)).toBe(USDC(60));
  });

  it('asks for 50 more: refused with the reason in words, exit 1, nothing moved', async () => {
    const r = await send('50');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^refused\s+in (validation|execution): spend limit: 60\/100 USDC used in the window, asked 50$/m);
    expect(await w.usdcBalance(bob)).toBe(USDC(60));
  });

  it('status shows the key active and 60/100 used', async () => {
    const r = await agent('status', '--context', file('context.json'), '--key', file('agent.key'), '--devnet', file('devnet.json'));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^key\s+0x[0-9a-f]+: enabled \(active\)$/m);
    expect(r.stdout).toMatch(/a current signer of the key/);
    expect(r.stdout).toMatch(/^spend\s+60 \/ 100 USDC in the last 24 h \(left: 40 USDC\)$/m);
    // the gas bound (issue 14): the ops the agent made on its lane, those left, what they may cost
    const ops = r.stdout.match(/^ops\s+(\d+) made on the key's lane, ([\d,]+) left \(op ceiling ([\d,]+)\)$/m);
    expect(ops, r.stdout).not.toBeNull();
    expect(Number(ops![1]) + Number(ops![2]!.replace(/,/g, ''))).toBe(Number(ops![3]!.replace(/,/g, '')));
    expect(Number(ops![1]), 'the sends above were counted').toBeGreaterThanOrEqual(1);
    expect(r.stdout).toMatch(/^gas\s+at most [\d.]+ ETH per operation, [\d.]+ ETH in all for the [\d,]+ left \(fee cap [\d.]+ gwei\)$/m);
  });

  it('a bad recipient is a usage error, exit 2', async () => {
    const r = await agent(
      'send',
      '--context',
      file('context.json'),
      '--key',
      file('agent.key'),
      '--to',
      '0xnope',
      '--amount',
      '1',
      '--devnet',
      file('devnet.json'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to: not an address/);
  });

  it('surrender: without ETH it prints the transaction; sent by a funded stranger, the key is over', async () => {
    const printed = await agent('surrender', '--context', file('context.json'), '--key', file('agent.key'), '--devnet', file('devnet.json'));
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(/^data\s+0x[0-9a-fA-F]+$/m);
    writeFileSync(file('stranger.key'), w.c.owners[2]!.privateKey + '\n', { mode: 0o600 });
    const r = await agent(
      'surrender',
      '--context',
      file('context.json'),
      '--key',
      file('agent.key'),
      '--submit-key',
      file('stranger.key'),
      '--devnet',
      file('devnet.json'),
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^surrendered key \d+ in tx 0x[0-9a-f]{64}/m);
    const status = await agent('status', '--context', file('context.json'), '--key', file('agent.key'), '--devnet', file('devnet.json'));
    expect(status.code, 'the key is no longer active').toBe(1);
    const again = await send('1');
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/refused/);
  });
});

describe.each(['kernel', 'safe'] as const)('functor-agent send --via erc7710 on %s: a redemption through the DelegationManager', (kind) => {
  const carol = (kind === 'kernel' ? '0x000000000000000000000000000000000000ca01' : '0x000000000000000000000000000000000000ca02') as Address;
  let address: Address;
  const send = (amount: string) =>
    agent(
      'send',
      '--via',
      'erc7710',
      '--context',
      file(`context-7710-${kind}.json`),
      '--key',
      file(`agent-7710-${kind}.key`),
      '--to',
      carol,
      '--amount',
      amount,
      '--token',
      'usdc',
      '--devnet',
      file('devnet.json'),
    );

  it('the owner installs the ERC-7710 executor and grants a new key 100 USDC a day; the context names the DelegationManager', async () => {
    const r = await agent('new-key', '--out', file(`agent-7710-${kind}.key`));
    expect(r.code, r.stderr).toBe(0);
    address = r.stdout.match(/^address\s+(0x[0-9a-fA-F]{40})$/m)![1] as Address;
    const dm = w.c.delegationFramework.DelegationManager;
    const owner = await w.ownerWithFunctor(kind, USDC(1000), 1);
    await w.ownerSend(owner, functorExecutorInstallCall(kind, owner.account, w.c.functor, dm));
    const permission = await w.usdcPermission(kind);
    const keyId = await w.grantKey(owner, `agent-cli-7710-${kind}`, address, permission);
    const request = {
      chainId: toHex(w.c.chainId),
      to: address,
      permission: {
        type: 'erc20-token-periodic',
        isAdjustmentAllowed: true,
        data: { tokenAddress: w.c.tokens.usdc, periodAmount: toHex(USDC(100)), periodDuration: DAY },
      },
      rules: [{ type: 'expiry', data: { timestamp: permission.expiry } }],
    };
    const answer = toPermissionResponse(request, {
      context: {
        chainId: w.c.chainId,
        account: owner.account.address,
        keyId,
        validator: w.c.functor.validator,
        hook: w.c.functor.policyHook,
        kind,
        delegationManager: dm,
      },
    });
    writeFileSync(file(`context-7710-${kind}.json`), JSON.stringify([answer], null, 2));
  });

  it("the key's address has no ETH: could not run, exit 3, saying to fund it or use the default path; nothing moved", async () => {
    const r = await send('1');
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stderr).toMatch(
      new RegExp(
        `the session key's address ${address} has no ETH: --via erc7710 sends from it and pays the gas; fund it with ETH, or use the default path \\(--via userop\\)`,
      ),
    );
    expect(await w.usdcBalance(carol)).toBe(0n);
  });

  it('funded, it redeems 60 USDC within the limit: prints the redemption and the transaction, exit 0; the agent paid the gas', async () => {
    await w.pub.request({ method: 'anvil_setBalance' as never, params: [address, toHex(10n ** 18n)] as never });
    const r = await send('60');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`^redeem\\s+through DelegationManager ${getAddress(w.c.delegationFramework.DelegationManager)}, from ${address}$`, 'm'),
    );
    expect(r.stdout).toMatch(/^landed\s+in tx 0x[0-9a-f]{64} \(gas used \d+\)$/m);
    expect(r.stdout).not.toMatch(/^userOp/m);
    expect(await w.usdcBalance(carol)).toBe(USDC(60));
    expect(await w.pub.getBalance({ address })).toBeLessThan(10n ** 18n);
  });

  it('asks for 50 more: refused with the spend-limit reason, exit 1, nothing moved', async () => {
    const r = await send('50');
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^refused\s+in execution: spend limit: 60\/100 USDC used in the window, asked 50$/m);
    expect(await w.usdcBalance(carol)).toBe(USDC(60));
  });

  it("20 s before a bucket boundary of the key's window, the redemption carries the roll's gas and lands after it", async () => {
    // The latest block in the window's head bucket (an hour wide for a day's limit), the next one
    // past its end: a node estimates on the latest block by default (geth; anvil estimates on the
    // next one, so here the estimate alone would do), and the window rolls in the transaction.
    const width = DAY / 24;
    const t = await w.now();
    const boundary = (Math.floor(t / width) + 1) * width;
    await w.increaseTime(boundary - 20 - t);
    await w.pub.request({ method: 'evm_setNextBlockTimestamp' as never, params: [toHex(boundary + 20)] as never });
    const r = await send('1');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await w.usdcBalance(carol)).toBe(USDC(61));
    const hash = r.stdout.match(/^landed\s+in tx (0x[0-9a-f]{64})/m)![1] as Hex;
    const [tx, receipt] = await Promise.all([w.pub.getTransaction({ hash }), w.pub.getTransactionReceipt({ hash })]);
    expect(Number((await w.pub.getBlock({ blockNumber: receipt.blockNumber })).timestamp)).toBeGreaterThanOrEqual(boundary);
    // The margin for one window near its boundary, beyond what the transaction used.
    expect(tx.gas - receipt.gasUsed).toBeGreaterThanOrEqual(ROLL_CALL_GAS);
  });
});
