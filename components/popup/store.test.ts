import { describe, expect, it } from 'vitest';
import { createCall, type Transport } from '../client';
import { createPopupStore } from './store';

const status = (locked: boolean) => ({ hasVault: true, locked, ...(locked ? {} : { owner: '0x00000000000000000000000000000000000000aa' }) });

function fakeBackground() {
  let locked = true;
  const seen: unknown[] = [];
  const transport: Transport = async (m) => {
    seen.push(m);
    const t = (m as { type: string }).type;
    if (t === 'ui:overview') return { ok: true, status: status(locked), networks: [], connections: {}, pending: [] };
    if (t === 'wallet:unlock') {
      if ((m as { password: string }).password !== 'correct horse') return { ok: false, error: 'Wrong password.' };
      locked = false;
      return { ok: true, status: status(false) };
    }
    if (t === 'wallet:create') return { ok: true, status: status(false), mnemonic: 'test test test test test test test test test test test junk' };
    return { ok: false, error: 'unknown' };
  };
  return { send: createCall(transport), seen };
}

describe('the popup store', () => {
  it('loads the overview, keeps the error of a failed unlock, and clears it on success', async () => {
    const { send } = fakeBackground();
    const store = createPopupStore(send);
    await store.getState().refresh();
    expect(store.getState().overview?.status.locked).toBe(true);
    await store.getState().run({ type: 'wallet:unlock', password: 'wrong' });
    expect(store.getState().error).toBe('Wrong password.');
    expect(store.getState().overview?.status.locked).toBe(true);
    await store.getState().run({ type: 'wallet:unlock', password: 'correct horse' });
    expect(store.getState().error).toBeUndefined();
    expect(store.getState().overview?.status).toMatchObject({ locked: false, owner: '0x00000000000000000000000000000000000000aa' });
  });

  it('holds the new phrase until the user dismisses it, and never asks the background for it again', async () => {
    const { send, seen } = fakeBackground();
    const store = createPopupStore(send);
    await store.getState().run({ type: 'wallet:create', password: 'correct horse' });
    expect(store.getState().phrase?.split(' ')).toHaveLength(12);
    store.getState().dismissPhrase();
    expect(store.getState().phrase).toBeUndefined();
    expect(seen.filter((m) => (m as { type: string }).type === 'wallet:create')).toHaveLength(1);
  });
});
