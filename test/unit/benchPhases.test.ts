// bench/phases.ts: an op's gas by phase from its call frames. Synthetic frames in the shape the
// callTracer gives for a Nexus session op (names as addressNames gives them); the bench itself runs
// it on real traces.
import type { TransactionReceipt } from 'viem';
import { describe, expect, it } from 'vitest';
import { type Frame, logCost, phasesOf } from '../../bench/phases.js';
import type { DevnetConfig } from '../../lib/chain/devnetConfig.js';

const HOOK = '0x00000000000000000000000000000000000000aa';
const c = { functor: { policyHook: HOOK } } as unknown as DevnetConfig;
const f = (depth: number, to: string, fn: string, gas: number, self = gas): Frame => ({ depth, type: 'CALL', address: to, to, fn, gas, self });

const sessionFrames: Frame[] = [
  f(0, 'EntryPoint', 'handleOps', 166_627, 58_206),
  f(1, 'account', 'validateUserOp', 40_811, 5_026),
  f(2, 'Nexus (implementation)', 'validateUserOp', 35_785, 7_769),
  f(3, 'FunctorPolicyHook', 'validateUserOp', 28_016, 11_724),
  f(4, 'KeyStore', 'authorization', 9_980),
  f(1, 'EntryPoint', 'innerHandleOp', 67_610, 5_830),
  f(2, 'account', 'execute', 61_780, 402),
  f(3, 'Nexus (implementation)', 'execute', 61_378, 5_352),
  f(4, 'FunctorPolicyHook', 'preCheck', 28_141, 23_223),
  f(4, 'USDC', 'transfer', 10_538),
  f(4, 'FunctorPolicyHook', 'postCheck', 17_347, 16_812),
  f(1, '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', '(no data)', 0),
];

const receipt = (logs: { address: string; topics: string[]; data: string }[]) => ({ logs }) as unknown as TransactionReceipt;

describe('bench phases', () => {
  it('splits a session op into EntryPoint, validation and execution that add up to the bundle', () => {
    const p = phasesOf(sessionFrames, receipt([]), c);
    expect(p).toMatchObject({ total: 166_627, entryPoint: 64_036, validation: 40_811, validator: 28_016, execution: 61_780 });
    expect(p.entryPoint + p.validation + p.execution).toBe(p.total);
    expect(p).toMatchObject({ preCheck: 28_141, calls: 10_538, postCheck: 17_347, auditEvent: 0 });
  });

  it("takes the Safe's checkSignatures as the owner's validator when no validator module runs", () => {
    const safeOwner = [
      f(0, 'EntryPoint', 'handleOps', 100_000, 60_000),
      f(1, 'account', 'validateUserOp', 25_000, 5_000),
      f(2, 'Safe (singleton)', 'validateUserOp', 20_000, 5_000),
      f(3, 'Safe7579 adapter', 'validateUserOp', 15_000, 5_000),
      f(4, 'account', 'checkSignatures', 9_883, 388),
      f(1, 'EntryPoint', 'innerHandleOp', 15_000, 3_000),
      f(2, 'account', 'execute', 12_000),
    ];
    const p = phasesOf(safeOwner, receipt([]), c);
    expect(p.validator).toBe(9_883);
    expect(p.preCheck + p.postCheck).toBe(0);
  });

  it("prices the hook's logs only: 375 + 375 per topic + 8 per data byte", () => {
    const topic = `0x${'11'.repeat(32)}`;
    const r = receipt([
      { address: HOOK.toUpperCase().replace('0X', '0x'), topics: [topic, topic, topic, topic], data: `0x${'00'.repeat(352)}` },
      { address: '0x00000000000000000000000000000000000000bb', topics: [topic], data: '0x' },
    ]);
    expect(logCost(r, HOOK)).toBe(375 + 4 * 375 + 8 * 352);
    expect(phasesOf(sessionFrames, r, c).auditEvent).toBe(4_691);
  });
});
