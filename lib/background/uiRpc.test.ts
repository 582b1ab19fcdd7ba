// The popup's messages go through one table (handlers/ui/index.ts), the wallet's own (wallet:*)
// too: parsed against the contract, gated, answered in words.
import { describe, expect, test } from 'vitest';
import { testBackground } from './testing.js';

describe('the popup message table', () => {
  test('wallet:* goes through it: create, status, lock (pages hear accountsChanged with none), unlock', async () => {
    const { bg, events } = testBackground();
    const created = await bg.handleUi({ type: 'wallet:create', password: 'correct horse' });
    expect(created).toMatchObject({ ok: true, status: { hasVault: true, locked: false }, mnemonic: expect.stringMatching(/^(\w+ ){11,23}\w+$/) });
    expect(await bg.handleUi({ type: 'wallet:lock' })).toMatchObject({ ok: true, status: { locked: true } });
    expect(events).toContainEqual({ origin: '*', event: 'accountsChanged', data: [] });
    expect(await bg.handleUi({ type: 'wallet:unlock', password: 'wrong horse' })).toMatchObject({ ok: false });
    expect(await bg.handleUi({ type: 'wallet:unlock', password: 'correct horse' })).toMatchObject({ ok: true, status: { locked: false } });
    expect(await bg.handleUi({ type: 'wallet:status' })).toMatchObject({ ok: true, status: { locked: false } });
  });

  test('a malformed wallet message is refused in words by the same parser as every other', async () => {
    const { bg } = testBackground();
    expect(await bg.handleUi({ type: 'wallet:create', password: 'short' } as never)).toEqual({
      ok: false,
      error: expect.stringMatching(/^Invalid request: password /),
    });
    expect(await bg.handleUi({ type: 'wallet:status', extra: 1 } as never)).toMatchObject({ ok: false, error: expect.stringMatching(/^Invalid request/) });
    expect(await bg.handleUi({ type: 'wallet:status' })).toMatchObject({ ok: true, status: { hasVault: false } });
  });

  test('a message that needs the unlocked wallet is refused while it is locked', async () => {
    const { bg } = testBackground();
    expect(await bg.handleUi({ type: 'ui:keys' })).toEqual({ ok: false, error: 'The wallet is locked' });
  });
});
