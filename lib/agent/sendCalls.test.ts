import { describe, expect, it } from 'vitest';
import { beforeSending } from './sendCalls.js';
import type { Refusal } from '../permissions/refusal.js';

describe('beforeSending', () => {
  const r = (error: string, stage: Refusal['stage']): Refusal => ({ error, args: [], stage, raw: '' });

  it('a key that is not active is refused at validation, wherever the estimate met it', () => {
    expect(beforeSending(r('KeyNotActive', 'execution'), 7n).stage).toBe('validation');
    expect(beforeSending(r('KeyNotActive', 'validation'), 7n).stage).toBe('validation');
  });

  it("Safe7579's ExecutionFailed on a key no longer active is the key's refusal, at validation", () => {
    expect(beforeSending(r('ExecutionFailed', 'execution'), 7n, 2)).toMatchObject({ error: 'KeyNotActive', args: [7n, 2], stage: 'validation' });
    expect(beforeSending(r('ExecutionFailed', 'execution'), 7n, 1)).toMatchObject({ error: 'ExecutionFailed', stage: 'execution' });
  });

  it('leaves every other refusal where the simulation put it', () => {
    expect(beforeSending(r('SpendLimitExceeded', 'execution'), 7n).stage).toBe('execution');
    expect(beforeSending(r('SignerNotAuthorized', 'execution'), 7n).stage).toBe('execution');
    expect(beforeSending(r('CallNotAllowed', 'validation'), 7n).stage).toBe('validation');
  });
});
