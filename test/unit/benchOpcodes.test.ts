// bench/opcodes.ts: an op's gas by kind, from its struct-log steps charged to the call trace's
// frames. A synthetic trace in the shape anvil serves: the bundle calls a cold account, which reads
// a cold slot, writes one, calls ecrecover (no frame opens), sends value to an account without code,
// and calls a cold contract that logs. The bench runs the same code on real traces.
import { describe, expect, it } from 'vitest';
import { accountOwn, codeBudget, madeOf, splitOf, splitSteps, type Step } from '../../bench/opcodes.js';
import type { Frame } from '../../bench/phases.js';

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';
const E = '0x00000000000000000000000000000000000000e3';
const ECRECOVER = '0x0000000000000000000000000000000000000001';
const word = (x: bigint | number | string) => `0x${BigInt(x).toString(16)}` as `0x${string}`;
/** A CALL-family step: stack top is gas, then the target, then (CALL) the value. */
const call = (op: string, depth: number, gas: number, gasCost: number, to: string, value = 0n): Step => ({
  op,
  depth,
  gas,
  gasCost,
  stack: op === 'CALL' ? [word(value), word(to), word(gasCost)] : [word(to), word(gasCost)],
});
const step = (op: string, depth: number, gas: number, gasCost: number): Step => ({ op, depth, gas, gasCost });

const steps: Step[] = [
  step('PUSH1', 1, 100_000, 3),
  call('CALL', 1, 99_997, 2_600 + 60_000, A), // cold account, 60,000 handed over
  step('PUSH1', 2, 60_000, 3),
  step('SLOAD', 2, 59_997, 2_100),
  step('SSTORE', 2, 57_897, 2_900),
  call('STATICCALL', 2, 54_997, 100 + 50_000, ECRECOVER), // precompile: 3,000 inside, no frame opens
  call('CALL', 2, 51_897, 2_600 + 9_000 + 40_000, E, 1n), // value to an account without code
  call('STATICCALL', 2, 42_597, 2_600 + 30_000, B), // cold contract
  step('LOG1', 3, 30_000, 750),
  step('RETURN', 3, 29_250, 0),
  step('STOP', 2, 39_247, 0),
  step('STOP', 1, 79_244, 0),
];
const frame = (depth: number, address: string, to: string, fn: string, gas: number, self: number): Frame => ({
  depth,
  type: 'CALL',
  address,
  to,
  fn,
  gas,
  self,
});
const frames: Frame[] = [
  frame(0, '0x0000000071727de22e5e9d8baf0edac6f37da032', 'EntryPoint', 'handleOps', 50_000, 29_247),
  frame(1, A, 'account', 'execute', 20_753, 17_003),
  frame(2, ECRECOVER, ECRECOVER, 'ecrecover', 3_000, 3_000),
  frame(2, E, E, '(no data)', 0, 0),
  frame(2, B, 'FunctorPolicyHook', 'postCheck', 750, 750),
];

describe('bench opcodes', () => {
  it('sorts every step into its frame and kind, adding up to the call trace', () => {
    const split = splitSteps(steps, frames);
    // The bundle: its PUSH1, the cold account it calls, and the intrinsic gas its steps leave over.
    expect(split[0]).toEqual({ transaction: 29_247 - 2_603, coldStorage: 0, storageWrites: 0, coldAccounts: 2_600, logs: 0, precompiles: 0, code: 3 });
    // The account: a cold slot, a write, a warm precompile call (100), value (9,000 less the
    // 2,300 stipend) and a cold account for E, a cold contract for B.
    expect(split[1]).toEqual({ transaction: 0, coldStorage: 2_100, storageWrites: 2_900, coldAccounts: 5_200, logs: 0, precompiles: 0, code: 3 + 100 + 6_700 });
    expect(split[2]!.precompiles).toBe(3_000);
    expect(Object.values(split[3]!).every((g) => g === 0)).toBe(true);
    expect(split[4]!.logs).toBe(750);
  });

  it('sums a phase with its sub-frames, and the whole bundle from the root', () => {
    const split = splitSteps(steps, frames);
    const account = splitOf(frames, split, (f) => f.to === 'account');
    expect(Object.values(account).reduce((s, g) => s + g, 0)).toBe(20_753);
    const m = madeOf(frames, split);
    expect(Object.values(m.total).reduce((s, g) => s + g, 0)).toBe(50_000);
    expect(m.postCheck.logs).toBe(750);
    expect(Object.values(m.preCheck).every((g) => g === 0)).toBe(true);
  });

  it("splits the bundle into the EntryPoint's own frame, the account's own, the module's and the calls", () => {
    const split = splitSteps(steps, frames);
    const m = madeOf(frames, split);
    // the EntryPoint's own frame alone, not its sub-calls
    expect(m.entryPoint).toEqual(split[0]);
    // no token transfer in this trace
    expect(Object.values(m.calls!).every((g) => g === 0)).toBe(true);
    // the account: its own steps, the precompile and the account without code it reached, not postCheck's frame
    const own = accountOwn(m);
    expect(Object.values(own).reduce((s, g) => s + g, 0)).toBe(20_753 - 750);
    expect(own.logs).toBe(0);
    expect(own.coldAccounts).toBe(5_200);
    // a transfer frame moves from the account to the calls
    const withTransfer = frames.map((f, i) => (i === 4 ? { ...f, to: 'USDC', fn: 'transfer' } : f));
    const t = madeOf(withTransfer, split);
    expect(t.calls!.logs).toBe(750);
    expect(Object.values(accountOwn(t)).reduce((s, g) => s + g, 0)).toBe(20_753 - 750);
  });

  it('stops when the steps do not add up to what the call trace says', () => {
    const wrong = frames.map((f, i) => (i === 1 ? { ...f, self: f.self + 1 } : f));
    expect(() => splitSteps(steps, wrong)).toThrow(/frame 1 \(account.execute\): its steps add up to 17003, the call trace says 17004/);
  });

  it('stops when a step calls a frame the call trace does not have', () => {
    expect(() =>
      splitSteps(
        steps,
        frames.filter((f) => f.address !== B),
      ),
    ).toThrow(/a frame the call trace does not have/);
  });

  it('stops on a trace without the stack', () => {
    const bare = steps.map(({ stack: _stack, ...s }) => s);
    expect(() => splitSteps(bare, frames)).toThrow(/without the stack/);
  });

  it("leaves for code what a bar has left after the rules' own costs", () => {
    // An overhead of 30,000: 1,000 calldata, 8,400 cold slots, 2,900 a write, 2,600 a cold
    // contract, 3,155 an event, -3,000 one signature fewer, 14,945 code.
    const diff = { transaction: 1_000, coldStorage: 8_400, storageWrites: 2_900, coldAccounts: 2_600, logs: 3_155, precompiles: -3_000, code: 14_945 };
    expect(codeBudget(diff, 20_000)).toEqual({ rules: 15_055, left: 4_945, code: 14_945, over: 10_000 });
    expect(codeBudget(diff, 40_000).over).toBe(-10_000);
  });
});
