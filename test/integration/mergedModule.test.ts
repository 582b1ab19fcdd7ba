// Contracts v2 (issue 17, DESIGN 2.4) plans ONE module that is validator, executor and hook at the
// same address. What do the real accounts do with that? Settled here on the devnet's real Kernel
// v3.1, Nexus 1.0.0 and Safe 1.4.1 + Safe7579 1.0.0 bytecode, through Alto, with one stand-in:
// MergedModuleProbe (contracts/test/utils, TEST ONLY), which answers isModuleType 1, 2 and 4, never
// reverts, records every onInstall / onUninstall / preCheck / postCheck / validateUserOp it receives
// per account, and validates ops signed by one fixed key. Each account installs it as validator,
// hook and executor, runs one op it validates, and uninstalls it; the test asserts the exact
// sequence of calls the probe saw (contracts/README.md, "One module for validator and hook (v2)").
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Abi,
  type Address,
  concatHex,
  createWalletClient,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  type Hex,
  http,
  keccak256,
  parseAbi,
  sliceHex,
  stringToHex,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountKind } from '../../lib/accounts/kinds.js';
import { smartAccountClientFor } from '../../lib/accounts/clients.js';
import { toFunctorSessionAccount } from '../../lib/agent/sessionAccount.js';
import { setUpWorld, type World } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROBE_ARTIFACT = path.join(root, 'contracts/out/MergedModuleProbe.sol/MergedModuleProbe.json');

/**
 * The probe's forge artifact. `npm test` builds the whole project (tests included) first and says
 * so (FUNCTOR_CONTRACTS_BUILT=1); otherwise, as the devnet builds `src`, this builds the probe alone.
 */
function probeArtifact(): { abi: Abi; bytecode: { object: Hex } } {
  if (!existsSync(PROBE_ARTIFACT)) {
    if (process.env.FUNCTOR_CONTRACTS_BUILT === '1')
      throw new Error(`${PROBE_ARTIFACT} is missing: cd contracts && forge build test/utils/MergedModuleProbe.sol`);
    execFileSync(path.join(root, 'node_modules/.bin/forge'), ['build', 'test/utils/MergedModuleProbe.sol'], {
      cwd: path.join(root, 'contracts'),
      stdio: 'pipe',
    });
  }
  return JSON.parse(readFileSync(PROBE_ARTIFACT, 'utf8'));
}

const probeAbi = parseAbi([
  'struct Record { uint8 kind; address caller; address sender; uint256 value; uint256 length; bytes4 selector; bytes32 dataHash; bytes data; bool initializedBefore; }',
  'function records(address account) view returns (Record[])',
  'function isInitialized(address account) view returns (bool)',
  'function CONTEXT_TAG() view returns (bytes32)',
]);
const accountAbi = parseAbi([
  'function installModule(uint256 moduleTypeId, address module, bytes initData)',
  'function uninstallModule(uint256 moduleTypeId, address module, bytes deInitData)',
  'function isModuleInstalled(uint256 moduleTypeId, address module, bytes additionalContext) view returns (bool)',
  'function accountId() view returns (string)',
  'function getValidatorsPaginated(address cursor, uint256 size) view returns (address[] array, address next)',
  'function getExecutorsPaginated(address cursor, uint256 size) view returns (address[] array, address next)',
  'function getActiveHook() view returns (address)',
]);
const kernelAbi = parseAbi([
  'function uninstallValidation(bytes21 vId, bytes deinitData, bytes hookDeinitData)',
  'struct ValidationConfig { uint32 nonce; address hook; }',
  'function validationConfig(bytes21 vId) view returns (ValidationConfig)',
  'struct ExecutorConfig { address hook; }',
  'function executorConfig(address executor) view returns (ExecutorConfig)',
  'function currentNonce() view returns (uint32)',
  'function rootValidator() view returns (bytes21)',
  'function installValidations(bytes21[] vIds, ValidationConfig[] configs, bytes[] validationData, bytes[] hookData)',
  'function changeRootValidator(bytes21 rootValidator, address hook, bytes validatorData, bytes hookData)',
]);

const KIND = { OnInstall: 1, OnUninstall: 2, PreCheck: 3, PostCheck: 4, ValidateUserOp: 5 } as const;
const SENTINEL: Address = '0x0000000000000000000000000000000000000001';
const SIG = { execute: '0xe9ae5c53', executeUserOp: '0x8dd7712f' } as const;
// What each install and uninstall hands the module, so its records say which role each call was for.
const DATA = {
  validator: stringToHex('validator'),
  hook: stringToHex('hook'),
  executor: stringToHex('executor'),
  validatorOut: stringToHex('validator-out'),
  hookOut: stringToHex('hook-out'),
  executorOut: stringToHex('executor-out'),
};
// Safe7579's hook install data: (HookType.GLOBAL, selector 0, the module's own init data).
const safeHookData = (data: Hex) => encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes4' }, { type: 'bytes' }], [0, '0x00000000', data]);
// Nexus and Safe7579 keep validators and executors in sentinel lists: removal names (prev, data).
const listed = (prev: Address, data: Hex) => encodeAbiParameters([{ type: 'address' }, { type: 'bytes' }], [prev, data]);

const signer = privateKeyToAccount(keccak256(stringToHex('functor.mergedModuleProbe.signer')));
const recipient = (kind: AccountKind) => getAddress(sliceHex(keccak256(stringToHex(`merged-module-recipient-${kind}`)), 12));

let w: World;
let probe: Address;
let contextTag: Hex;

beforeAll(async () => {
  w = await setUpWorld();
  // The probe, deployed by a dev owner's EOA with the fixed signer it accepts.
  const deployer = createWalletClient({ account: privateKeyToAccount(w.c.owners[2]!.privateKey), chain: w.net.chain, transport: http(w.c.rpcUrl) });
  const artifact = probeArtifact();
  const hash = await deployer.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode.object, args: [signer.address] });
  const receipt = await w.pub.waitForTransactionReceipt({ hash });
  probe = receipt.contractAddress!;
  contextTag = await w.pub.readContract({ address: probe, abi: probeAbi, functionName: 'CONTEXT_TAG' });
});
afterAll(async () => {
  await w?.devnet.stop();
});

type Rec = {
  kind: number;
  caller: Address;
  sender: Address;
  value: bigint;
  length: bigint;
  selector: Hex;
  dataHash: Hex;
  data: Hex;
  initializedBefore: boolean;
};
const ZERO: Address = '0x0000000000000000000000000000000000000000';
const ZERO32: Hex = `0x${'00'.repeat(32)}`;

/**
 * A record as the probe writes it: `described` is the bytes it measures (length, selector, and
 * hash unless `dataHash` is given), `data` what it keeps (onInstall, onUninstall, postCheck).
 */
function rec(kind: number, account: Address, r: { described: Hex; sender?: Address; dataHash?: Hex; data?: Hex; before: boolean }): Rec {
  const length = BigInt((r.described.length - 2) / 2);
  return {
    kind,
    caller: account,
    sender: r.sender ?? ZERO,
    value: 0n,
    length,
    selector: length >= 4n ? sliceHex(r.described, 0, 4) : '0x00000000',
    dataHash: r.dataHash ?? keccak256(r.described),
    data: r.data ?? '0x',
    initializedBefore: r.before,
  };
}
const onInstall = (a: Address, data: Hex, before: boolean) => rec(KIND.OnInstall, a, { described: data, data, before });
const onUninstall = (a: Address, data: Hex, before: boolean) => rec(KIND.OnUninstall, a, { described: data, data, before });
/** The context the probe's preCheck at record `index` returned, which postCheck must get back. */
function postCheck(a: Address, index: number, before: boolean) {
  const data = encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [contextTag, BigInt(index)]);
  return rec(KIND.PostCheck, a, { described: data, data, before });
}
const preCheck = (a: Address, msgSender: Address, msgData: Hex, before = true) => rec(KIND.PreCheck, a, { described: msgData, sender: msgSender, before });
const validateRec = (a: Address, callData: Hex, userOpHash: Hex) =>
  rec(KIND.ValidateUserOp, a, { described: callData, sender: a, dataHash: userOpHash, before: true });

async function records(account: Address): Promise<Rec[]> {
  const r = await w.pub.readContract({ address: probe, abi: probeAbi, functionName: 'records', args: [account] });
  return r.map((x) => ({ ...x, caller: getAddress(x.caller), sender: getAddress(x.sender) })) as Rec[];
}
const norm = (r: Rec[]) => r.map((x) => ({ ...x, caller: getAddress(x.caller), sender: getAddress(x.sender), dataHash: x.dataHash.toLowerCase() }));

const install = (account: Address, type: number, initData: Hex) => ({
  to: account,
  data: encodeFunctionData({ abi: accountAbi, functionName: 'installModule', args: [BigInt(type), probe, initData] }),
});
const uninstall = (account: Address, type: number, deInitData: Hex) => ({
  to: account,
  data: encodeFunctionData({ abi: accountAbi, functionName: 'uninstallModule', args: [BigInt(type), probe, deInitData] }),
});
const isInstalled = (account: Address, type: number, context: Hex = '0x') =>
  w.pub.readContract({ address: account, abi: accountAbi, functionName: 'isModuleInstalled', args: [BigInt(type), probe, context] });

async function prevEntry(account: Address, list: 'getValidatorsPaginated' | 'getExecutorsPaginated'): Promise<Address> {
  const [entries] = await w.pub.readContract({ address: account, abi: accountAbi, functionName: list, args: [SENTINEL, 100n] });
  const i = entries.findIndex((e) => e.toLowerCase() === probe.toLowerCase());
  expect(i, `probe in ${list}`).toBeGreaterThanOrEqual(0);
  return i === 0 ? SENTINEL : entries[i - 1]!;
}

type Owner = Awaited<ReturnType<World['ownerAccount']>>;

/**
 * The account of `kind` of the devnet's owner `ownerIndex`, deployed by an empty first op (so no
 * install mixes with the deployment), after checking it runs the real bytecode (`accountId`).
 */
async function deployedOwner(kind: AccountKind, accountId: string, ownerIndex = 0): Promise<{ o: Owner; a: Address }> {
  const o = await w.ownerAccount(kind, ownerIndex);
  await w.ownerSend(o, [{ to: w.owner.address, value: 0n }]);
  const a = o.account.address;
  expect(await w.pub.readContract({ address: a, abi: accountAbi, functionName: 'accountId' })).toBe(accountId);
  return { o, a };
}

/** An owner op that must land; returns the UserOp's callData (what the account's execute got). */
async function ownerOp(o: Owner, calls: { to: Address; data?: Hex; value?: bigint }[]): Promise<Hex> {
  const r = await w.ownerSend(o, calls);
  const op = await o.client.getUserOperation({ hash: r.userOpHash });
  return op.userOperation.callData;
}

/** One op validated by the probe (its nonce key routes to it), paying `recipient` 12345 wei. */
async function probeOp(kind: AccountKind, account: Address) {
  const session = await toFunctorSessionAccount({
    client: w.pub,
    context: { kind, account, keyId: 0x5eedn, module: probe, entryPoint: w.c.entryPoint },
    signer,
  });
  const client = smartAccountClientFor(w.net, session);
  const before = await w.pub.getBalance({ address: recipient(kind) });
  // On Kernel Alto under-estimates the call gas of an op through `executeUserOp` (the session
  // account's floor, 300k, is for Functor's hook); the probe's records cost about 20k a slot.
  const callGasLimit = kind === 'kernel' ? 1_500_000n : undefined;
  const hash = await client.sendUserOperation({ calls: [{ to: recipient(kind), value: 12345n }], callGasLimit });
  const receipt = await client.waitForUserOperationReceipt({ hash });
  expect(receipt.success).toBe(true);
  expect(await w.pub.getBalance({ address: recipient(kind) })).toBe(before + 12345n);
  const op = await client.getUserOperation({ hash });
  return { userOpHash: hash, callData: op.userOperation.callData };
}

/** probeOp, and what the probe recorded during it (`n`: its records before). */
async function recordedProbeOp(kind: AccountKind, account: Address) {
  const n = (await records(account)).length;
  const op = await probeOp(kind, account);
  return { ...op, n, recorded: norm((await records(account)).slice(n)) };
}

/** Nexus and Safe7579 calls that uninstall the probe's executor, validator and hook roles (a list entry's removal names the one before it). */
async function uninstallListed(account: Address, hookDeInit: Hex) {
  const prevExecutor = await prevEntry(account, 'getExecutorsPaginated');
  const prevValidator = await prevEntry(account, 'getValidatorsPaginated');
  return [
    uninstall(account, 2, listed(prevExecutor, DATA.executorOut)),
    uninstall(account, 1, listed(prevValidator, DATA.validatorOut)),
    uninstall(account, 4, hookDeInit),
  ];
}

describe('Kernel v3.1: the probe as validator with itself as the bound hook, then as executor', () => {
  let o: Owner;
  let a: Address;
  const vId = () => concatHex(['0x01', probe]) as Hex;

  beforeAll(async () => {
    ({ o, a } = await deployedOwner('kernel', 'kernel.advanced.v0.3.1'));
  });

  it('install: the hook role’s onInstall comes FIRST (flag byte stripped), then the validator’s; the executor install skips the hook’s (already initialized)', async () => {
    // installModule(1): hook ‖ abi.encode(validatorData, hookData = flag ‖ data, selectorData = execute).
    const validatorInit = concatHex([
      probe,
      encodeAbiParameters([{ type: 'bytes' }, { type: 'bytes' }, { type: 'bytes' }], [DATA.validator, concatHex(['0x00', DATA.hook]), SIG.execute]),
    ]);
    // installModule(2): hook ‖ abi.encode(executorData, hookData = flag 0x00 ‖ data).
    const executorInit = concatHex([probe, encodeAbiParameters([{ type: 'bytes' }, { type: 'bytes' }], [DATA.executor, concatHex(['0x00', DATA.hook])])]);
    await ownerOp(o, [install(a, 1, validatorInit), install(a, 2, executorInit)]);

    expect(norm(await records(a))).toEqual(
      norm([
        // _installValidation: _installHook first (isInitialized false: onInstall(hookData[1:])) ...
        onInstall(a, DATA.hook, false),
        // ... then validator.onInstall(validatorData), the probe already initialized.
        onInstall(a, DATA.validator, true),
        // _installExecutor: executor.onInstall(executorData); _installHook: isInitialized true and
        // flag 0x00, so the hook's onInstall is NOT called again.
        onInstall(a, DATA.executor, true),
      ]),
    );
    expect(await isInstalled(a, 1)).toBe(true);
    expect(await isInstalled(a, 2)).toBe(true);
    expect((await w.pub.readContract({ address: a, abi: kernelAbi, functionName: 'validationConfig', args: [vId()] })).hook).toBe(getAddress(probe));
    expect((await w.pub.readContract({ address: a, abi: kernelAbi, functionName: 'executorConfig', args: [probe] })).hook).toBe(getAddress(probe));
  });

  it('an op the probe validates: validateUserOp, then preCheck(EntryPoint, callData[4:]) and postCheck(its context) around the call', async () => {
    const { userOpHash, callData, n, recorded } = await recordedProbeOp('kernel', a);
    expect(sliceHex(callData, 0, 4)).toBe(SIG.executeUserOp);
    const execute = sliceHex(callData, 4); // executeUserOp hands the hook userOp.callData[4:]
    expect(recorded).toEqual(norm([validateRec(a, callData, userOpHash), preCheck(a, w.c.entryPoint, execute), postCheck(a, n + 1, true)]));
  });

  it('uninstall: executor onUninstall; then uninstallValidation: the validator’s onUninstall, then the hook’s (flag 0xff, stripped)', async () => {
    const n = (await records(a)).length;
    await ownerOp(o, [
      uninstall(a, 2, DATA.executorOut),
      {
        to: a,
        data: encodeFunctionData({ abi: kernelAbi, functionName: 'uninstallValidation', args: [vId(), DATA.validatorOut, concatHex(['0xff', DATA.hookOut])] }),
      },
    ]);
    expect(norm((await records(a)).slice(n))).toEqual(
      norm([onUninstall(a, DATA.executorOut, true), onUninstall(a, DATA.validatorOut, true), onUninstall(a, DATA.hookOut, true)]),
    );
    expect(await isInstalled(a, 1)).toBe(false);
    expect(await isInstalled(a, 2)).toBe(false);
    expect((await w.pub.readContract({ address: a, abi: kernelAbi, functionName: 'validationConfig', args: [vId()] })).hook).toBe(ZERO);
    // Three onInstall, three onUninstall: the probe's count is back to zero.
    expect(await w.pub.readContract({ address: probe, abi: probeAbi, functionName: 'isInitialized', args: [a] })).toBe(false);
  });
});

describe('Kernel v3.1, a second account: installValidations after the executor, the 0xff flag, uninstallModule(1), and the probe as root', () => {
  let o: Owner;
  let a: Address;
  const vId = () => concatHex(['0x01', probe]) as Hex;

  beforeAll(async () => {
    ({ o, a } = await deployedOwner('kernel', 'kernel.advanced.v0.3.1', 1));
  });

  it('executor first (hook’s onInstall skipped: already initialized), then installValidations with flag 0xff: the hook’s onInstall is forced, still before the validator’s', async () => {
    const executorInit = concatHex([probe, encodeAbiParameters([{ type: 'bytes' }, { type: 'bytes' }], [DATA.executor, concatHex(['0x00', DATA.hook])])]);
    const nonce = await w.pub.readContract({ address: a, abi: kernelAbi, functionName: 'currentNonce' });
    await ownerOp(o, [
      install(a, 2, executorInit),
      {
        to: a,
        data: encodeFunctionData({
          abi: kernelAbi,
          functionName: 'installValidations',
          args: [[vId()], [{ nonce, hook: probe }], [DATA.validator], [concatHex(['0xff', DATA.hook])]],
        }),
      },
    ]);
    expect(norm(await records(a))).toEqual(norm([onInstall(a, DATA.executor, false), onInstall(a, DATA.hook, true), onInstall(a, DATA.validator, true)]));
    expect((await w.pub.readContract({ address: a, abi: kernelAbi, functionName: 'validationConfig', args: [vId()] })).hook).toBe(getAddress(probe));
  });

  it('uninstallModule(1) calls only the validator’s onUninstall: the bound hook role is unbound without one', async () => {
    const n = (await records(a)).length;
    await ownerOp(o, [uninstall(a, 1, DATA.validatorOut)]);
    expect(norm((await records(a)).slice(n))).toEqual(norm([onUninstall(a, DATA.validatorOut, true)]));
    expect((await w.pub.readContract({ address: a, abi: kernelAbi, functionName: 'validationConfig', args: [vId()] })).hook).toBe(ZERO);
    // Three onInstall, one onUninstall: whatever the module keeps for its hook role stays.
    expect(await w.pub.readContract({ address: probe, abi: probeAbi, functionName: 'isInitialized', args: [a] })).toBe(true);
  });

  it('as ROOT validator, its isModuleType(4) makes its preCheck the gate of execute: a stranger’s direct call runs when preCheck passes', async () => {
    const rootInit = concatHex([ZERO, encodeAbiParameters([{ type: 'bytes' }, { type: 'bytes' }, { type: 'bytes' }], [DATA.validator, '0x00', '0x'])]);
    const n0 = (await records(a)).length;
    await ownerOp(o, [
      install(a, 1, rootInit),
      { to: a, data: encodeFunctionData({ abi: kernelAbi, functionName: 'changeRootValidator', args: [vId(), ZERO, '0x', '0x'] }) },
    ]);
    expect(await w.pub.readContract({ address: a, abi: kernelAbi, functionName: 'rootValidator' })).toBe(vId());
    // No hook bound (address 0 reads as "none"): only the validator's onInstall.
    expect(norm((await records(a)).slice(n0))).toEqual(norm([onInstall(a, DATA.validator, true)]));
    const n = n0 + 1;
    const stranger = privateKeyToAccount(keccak256(stringToHex('merged-module-stranger')));
    await w.pub.request({ method: 'anvil_setBalance' as never, params: [stranger.address, toHex(10n ** 18n)] as never });
    const data = encodeFunctionData({
      abi: parseAbi(['function execute(bytes32 mode, bytes executionCalldata)']),
      args: [ZERO32, concatHex([recipient('kernel'), toHex(777n, { size: 32 })])],
    });
    const before = await w.pub.getBalance({ address: recipient('kernel') });
    const wallet = createWalletClient({ account: stranger, chain: w.net.chain, transport: http(w.c.rpcUrl) });
    const receipt = await w.pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: a, data }) });
    expect(receipt.status).toBe('success');
    expect(await w.pub.getBalance({ address: recipient('kernel') })).toBe(before + 777n);
    expect(norm((await records(a)).slice(n))).toEqual(norm([preCheck(a, stranger.address, data), postCheck(a, n, true)]));
  });
});

describe('Nexus 1.0.0: the probe as validator, global hook and executor', () => {
  let o: Owner;
  let a: Address;

  beforeAll(async () => {
    ({ o, a } = await deployedOwner('nexus', 'biconomy.nexus.1.0.0'));
  });

  it('install: one onInstall per type with its own data; the install after the hook runs inside the probe’s own preCheck/postCheck', async () => {
    const installData = encodeFunctionData({ abi: accountAbi, functionName: 'installModule', args: [2n, probe, DATA.executor] });
    await ownerOp(o, [install(a, 1, DATA.validator), install(a, 4, DATA.hook), install(a, 2, DATA.executor)]);
    expect(norm(await records(a))).toEqual(
      norm([
        onInstall(a, DATA.validator, false),
        onInstall(a, DATA.hook, true),
        // withHook on _installModule: the hook is now the probe, so installing it as executor is
        // wrapped by its own preCheck (msgSender: the account, in a self-call) and postCheck.
        preCheck(a, a, installData),
        onInstall(a, DATA.executor, true),
        postCheck(a, 2, true),
      ]),
    );
    expect(await isInstalled(a, 1)).toBe(true);
    expect(await isInstalled(a, 2)).toBe(true);
    expect(await isInstalled(a, 4)).toBe(true);
    expect(await w.pub.readContract({ address: a, abi: accountAbi, functionName: 'getActiveHook' })).toBe(getAddress(probe));
  });

  it('an op the probe validates: validateUserOp, then preCheck(EntryPoint, the whole callData) and postCheck around execute', async () => {
    const { userOpHash, callData, n, recorded } = await recordedProbeOp('nexus', a);
    expect(sliceHex(callData, 0, 4)).toBe(SIG.execute);
    expect(recorded).toEqual(norm([validateRec(a, callData, userOpHash), preCheck(a, w.c.entryPoint, callData), postCheck(a, n + 1, true)]));
  });

  it('uninstall: every uninstall wrapped by the probe’s own hook; its postCheck runs after its hook role’s onUninstall, and the outer op’s after all three', async () => {
    const n = (await records(a)).length;
    const calls = await uninstallListed(a, DATA.hookOut);
    const callData = await ownerOp(o, calls);
    expect(norm((await records(a)).slice(n))).toEqual(
      norm([
        preCheck(a, w.c.entryPoint, callData), // the owner's execute, under the global hook
        preCheck(a, a, calls[0]!.data),
        onUninstall(a, DATA.executorOut, true),
        postCheck(a, n + 1, true),
        preCheck(a, a, calls[1]!.data),
        onUninstall(a, DATA.validatorOut, true),
        postCheck(a, n + 4, true),
        preCheck(a, a, calls[2]!.data),
        onUninstall(a, DATA.hookOut, true),
        // the hook was removed, yet Nexus calls the postCheck it captured before...
        postCheck(a, n + 7, false),
        // ... and the owner's execute's postCheck, after all three onUninstall.
        postCheck(a, n, false),
      ]),
    );
    expect(await isInstalled(a, 1)).toBe(false);
    expect(await isInstalled(a, 2)).toBe(false);
    expect(await isInstalled(a, 4)).toBe(false);
  });
});

describe('Safe 1.4.1 + Safe7579 1.0.0: the probe as validator, global hook and executor', () => {
  let o: Owner;
  let a: Address;
  // The Safe forwards to the adapter with the caller appended (ERC-2771): the hook's msgData too.
  const forwarded = (data: Hex, caller: Address) => concatHex([data, caller]);

  beforeAll(async () => {
    ({ o, a } = await deployedOwner('safe', 'rhinestone.safe7579.v1.0.0'));
  });

  it('install: one onInstall per type with its own data (the hook’s unwrapped from its HookType); the install after the hook runs inside its preCheck/postCheck', async () => {
    const installData = encodeFunctionData({ abi: accountAbi, functionName: 'installModule', args: [2n, probe, DATA.executor] });
    await ownerOp(o, [install(a, 1, DATA.validator), install(a, 4, safeHookData(DATA.hook)), install(a, 2, DATA.executor)]);
    expect(norm(await records(a))).toEqual(
      norm([
        onInstall(a, DATA.validator, false),
        onInstall(a, DATA.hook, true),
        preCheck(a, a, forwarded(installData, a)),
        onInstall(a, DATA.executor, true),
        postCheck(a, 2, true),
      ]),
    );
    expect(await isInstalled(a, 1)).toBe(true);
    expect(await isInstalled(a, 2)).toBe(true);
    expect(await isInstalled(a, 4, encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes4' }], [0, '0x00000000']))).toBe(true);
  });

  it('an op the probe validates: validateUserOp (through the Safe), then preCheck(EntryPoint, callData ‖ EntryPoint) and postCheck around execute', async () => {
    const { userOpHash, callData, n, recorded } = await recordedProbeOp('safe', a);
    expect(sliceHex(callData, 0, 4)).toBe(SIG.execute);
    expect(recorded).toEqual(
      norm([validateRec(a, callData, userOpHash), preCheck(a, w.c.entryPoint, forwarded(callData, w.c.entryPoint)), postCheck(a, n + 1, true)]),
    );
  });

  it('uninstall: no hook call around any of the three (the module being removed IS the global hook), but the outer op’s postCheck runs after them', async () => {
    const n = (await records(a)).length;
    const calls = await uninstallListed(a, safeHookData(DATA.hookOut));
    const callData = await ownerOp(o, calls);
    expect(norm((await records(a)).slice(n))).toEqual(
      norm([
        preCheck(a, w.c.entryPoint, forwarded(callData, w.c.entryPoint)),
        onUninstall(a, DATA.executorOut, true),
        onUninstall(a, DATA.validatorOut, true),
        onUninstall(a, DATA.hookOut, true),
        postCheck(a, n, false),
      ]),
    );
    expect(await isInstalled(a, 1)).toBe(false);
    expect(await isInstalled(a, 2)).toBe(false);
    expect(await isInstalled(a, 4, encodeAbiParameters([{ type: 'uint8' }, { type: 'bytes4' }], [0, '0x00000000']))).toBe(false);
  });
});
