import { createClient, custom, decodeFunctionData, encodeFunctionResult, getAddress, HttpRequestError, pad, parseAbi, type Address, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { PermissionError } from '../permissions/errors.js';
import type { Permission } from '../permissions/types.js';
import { assertNoMachineryTargets, machineryReason } from './machinery.js';

const abi = parseAbi([
  'function isModuleType(uint256) view returns (bool)',
  'function supportsModule(uint256) view returns (bool)',
  'function isModuleInstalled(uint256, address, bytes) view returns (bool)',
  'function isModuleEnabled(address) view returns (bool)',
]);
const a = (n: number) => getAddress(`0x${n.toString(16).padStart(40, '0')}`);
const ACCOUNT = a(0xacc);
const USDC = a(0x05);
const VALIDATOR = a(0x10); // answers isModuleType(1)
const ADAPTER = a(0x20); // answers supportsModule(1): an ERC-7579 account or the Safe7579 adapter
const INSTALLED = a(0x30); // the account says it is its executor (type 2)
const SAFE_MODULE = a(0x40);
const FALLBACK = a(0x50);

/**
 * A chain where contracts answer what the table says, and every other call reverts (or, for
 * `down`, the transport fails): enough to drive the checks without a node.
 */
function chain(opts: { down?: boolean } = {}) {
  return createClient({
    transport: custom(
      {
        async request({ method, params }: { method: string; params: unknown[] }) {
          if (opts.down) throw new HttpRequestError({ url: 'http://chain.test', details: 'fetch failed' });
          if (method === 'eth_getStorageAt') return pad(FALLBACK);
          if (method !== 'eth_call') throw new Error(`unexpected ${method}`);
          const { to, data } = params[0] as { to: Address; data: Hex };
          const call = decodeFunctionData({ abi, data });
          const yes = (() => {
            const target = getAddress(to);
            if (call.functionName === 'isModuleType') return target === VALIDATOR && call.args[0] === 1n;
            if (call.functionName === 'supportsModule') return target === ADAPTER;
            if (call.functionName === 'isModuleInstalled') return target === ACCOUNT && call.args[0] === 2n && getAddress(call.args[1]) === INSTALLED;
            if (call.functionName === 'isModuleEnabled') return target === ACCOUNT && getAddress(call.args[0]) === SAFE_MODULE;
            return undefined;
          })();
          // A plain contract (USDC) has none of these functions: it reverts.
          if (!yes) throw Object.assign(new Error('execution reverted'), { code: 3, data: '0x' });
          return encodeFunctionResult({ abi, functionName: call.functionName, result: true } as never);
        },
      },
      { retryCount: 0 },
    ),
  });
}

const permission = (to: Address): Permission => ({
  calls: [
    { to: 'any', selector: 'value' },
    { to, selector: '0xa9059cbb' },
  ],
  spend: [],
  gas: { maxFeePerGas: 1n, maxCostPerOp: 1n, maxOps: 1 },
});

describe('machineryReason', () => {
  it('a plain contract is not machinery', async () => {
    expect(await machineryReason(chain(), ACCOUNT, 'nexus', USDC)).toBeUndefined();
    expect(await machineryReason(chain(), ACCOUNT, 'safe', USDC)).toBeUndefined();
  });

  it('names modules, accounts and adapters, installed modules, and the account itself', async () => {
    expect(await machineryReason(chain(), ACCOUNT, 'kernel', VALIDATOR)).toBe('an ERC-7579 module (validator)');
    expect(await machineryReason(chain(), ACCOUNT, 'kernel', ADAPTER)).toMatch(/ERC-7579 account or adapter/);
    expect(await machineryReason(chain(), ACCOUNT, 'nexus', INSTALLED)).toBe('an executor installed on the account');
    expect(await machineryReason(chain(), ACCOUNT, 'nexus', ACCOUNT)).toBe('the account itself');
  });

  it('Safe: its fallback handler and its enabled modules, only on a Safe', async () => {
    expect(await machineryReason(chain(), ACCOUNT, 'safe', FALLBACK)).toMatch(/fallback handler/);
    expect(await machineryReason(chain(), ACCOUNT, 'safe', SAFE_MODULE)).toBe('a module enabled on the Safe');
    expect(await machineryReason(chain(), ACCOUNT, 'nexus', FALLBACK)).toBeUndefined();
  });

  it('a chain that does not answer is an error, not a pass', async () => {
    const err = await machineryReason(chain({ down: true }), ACCOUNT, 'nexus', USDC).catch((e) => e);
    expect(err.walk((x: unknown) => x instanceof HttpRequestError)).toBeInstanceOf(HttpRequestError);
  });
});

describe('assertNoMachineryTargets', () => {
  it('passes plain targets and wildcards, and names the first machinery target and the account', async () => {
    await expect(assertNoMachineryTargets(chain(), [{ address: ACCOUNT, kind: 'nexus' }], permission(USDC))).resolves.toBeUndefined();
    const err = await assertNoMachineryTargets(chain(), [{ address: ACCOUNT, kind: 'safe' }], permission(SAFE_MODULE)).catch((e) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect(err.field).toBe('calls[1].to');
    expect(err.reason).toBe(`${SAFE_MODULE} is a module enabled on the Safe of ${ACCOUNT}: a key may not call the account's modules or machinery`);
  });
});
