import { describe, expect, it } from 'vitest';
import { createCall } from './client';

describe('call', () => {
  it('carries bigints both ways as JSON-safe values, and only here', async () => {
    const sent: unknown[] = [];
    const call = createCall(async (m) => {
      sent.push(JSON.parse(JSON.stringify(m)));
      return { ok: true, keys: [{ keyId: { $bigint: '42' } }] };
    });
    const r = await call({ type: 'ui:editPolicy', keyId: '42', accounts: ['0x00000000000000000000000000000000000000aa'], permission: { limit: 5n } });
    expect(sent[0]).toMatchObject({ permission: { limit: { $bigint: '5' } } });
    expect(r).toEqual({ ok: true, keys: [{ keyId: 42n }] });
  });

  it('answers in words when the background sends nothing usable', async () => {
    expect(await createCall(async () => undefined)({ type: 'ui:keys' })).toEqual({ ok: false, error: 'The wallet did not answer' });
  });
});
