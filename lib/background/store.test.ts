import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApprovals } from './approvals.js';
import { createState, grantRecordSchema, type GrantRecord } from './state.js';
import { fakeDevnetJson, testBackground } from './testing.js';
import { type KeyValueStore, memoryStore, metaKey, StorageError, UNREADABLE_INDEX, unreadableEntries, versionedEntry } from './store.js';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';

/** A grant record exactly as the current release writes it (version 1, no `grants$`). */
const grantV1 = (keyId: string): GrantRecord => ({
  origin: 'https://dapp.test',
  networkId: 'devnet',
  chainId: 31337,
  keyId,
  type: 'erc20-token-periodic',
  signer: B,
  controller: A,
  accounts: [{ kind: 'kernel', address: A }],
  responses: [{ chainId: '0x7a69' }],
  contexts: ['0x01'],
  createdAt: 1_700_000_000_000,
});

describe('versioned entries', () => {
  it('an absent entry reads as its fallback, and a version 1 write keeps today’s layout (no key$)', async () => {
    const store = memoryStore();
    const e = versionedEntry(store, 'names', z.record(z.string()), () => ({}));
    expect(await e.read()).toEqual({});
    await e.write({ a: 'x' });
    expect(store.data.get('names')).toEqual({ a: 'x' });
    expect(store.data.has(metaKey('names'))).toBe(false);
    expect(await e.read()).toEqual({ a: 'x' });
  });

  it('grants written by the current release survive an upgrade to a changed schema', async () => {
    const store = memoryStore();
    // The current release: unversioned, through today's state.
    const before = createState(store);
    await before.grants.write([grantV1('1'), { ...grantV1('2'), revokedAt: 1_700_000_100_000 }]);
    await before.connections.write({ 'https://dapp.test': { accounts: [A], connectedAt: 5 } });
    expect(store.data.has(metaKey('grants'))).toBe(false);

    // The next release: revokedAt becomes a `status`, and chainId a hex string.
    const grantV2 = grantRecordSchema.omit({ revokedAt: true, chainId: true }).extend({
      chainId: z.string().regex(/^0x[0-9a-f]+$/),
      status: z.discriminatedUnion('state', [z.object({ state: z.literal('active') }), z.object({ state: z.literal('revoked'), at: z.number() })]),
    });
    const migrations = {
      2: (old: GrantRecord[]) =>
        old.map(({ revokedAt, chainId, ...g }) => ({
          ...g,
          chainId: `0x${chainId.toString(16)}`,
          status: revokedAt === undefined ? { state: 'active' } : { state: 'revoked', at: revokedAt },
        })),
    };
    const after = versionedEntry(store, 'grants', z.array(grantV2), () => [], { version: 2, migrations });
    const read = await after.read();
    expect(read).toHaveLength(2);
    expect(read[0]).toMatchObject({ keyId: '1', chainId: '0x7a69', status: { state: 'active' }, signer: B, controller: A });
    expect(read[1]).toMatchObject({ keyId: '2', status: { state: 'revoked', at: 1_700_000_100_000 } });
    expect(await unreadableEntries(store)).toEqual([]);

    // Writing stores the new shape with its version; reading again does not migrate twice.
    await after.write([...read, { ...read[0]!, keyId: '3' }]);
    expect(store.data.get(metaKey('grants'))).toEqual({ v: 2 });
    expect((await after.read()).map((g) => g.keyId)).toEqual(['1', '2', '3']);
    // The other entries are untouched.
    expect(await createState(store).connections.read()).toEqual({ 'https://dapp.test': { accounts: [A], connectedAt: 5 } });
  });

  it('networks added by a release with one devOwnerValidator read back with each kind’s ownerValidator, nothing else changed', async () => {
    const store = memoryStore();
    const { kernel, nexus, ...rest } = fakeDevnetJson;
    const v1Addresses = {
      ...rest,
      kernel: { implementation: kernel.implementation, factory: kernel.factory },
      nexus: { ...nexus, ownerValidator: undefined },
      devOwnerValidator: A,
    };
    delete (v1Addresses.nexus as { ownerValidator?: string }).ownerValidator;
    const v1 = {
      id: 'user-1',
      name: 'Sepolia',
      chainId: 11155111,
      rpcUrl: 'https://rpc.test',
      bundlerUrl: 'https://bundler.test',
      addresses: v1Addresses,
      source: 'user',
    };
    // Exactly what release 1 stored: unversioned, the addresses carrying devOwnerValidator.
    await store.set('networks', [v1]);
    const [n] = await createState(store).userNetworks.read();
    expect(n!.addresses.kernel).toEqual({ implementation: kernel.implementation, factory: kernel.factory, ownerValidator: A });
    expect(n!.addresses.nexus.ownerValidator).toBe(A);
    expect(n!.addresses).not.toHaveProperty('devOwnerValidator');
    expect({ ...n, addresses: undefined }).toEqual({ ...v1, addresses: undefined });
    expect(n!.addresses.functor).toEqual(fakeDevnetJson.functor);
    expect(await unreadableEntries(store)).toEqual([]);
  });

  it('migrations run in order from the stored version', async () => {
    const store = memoryStore();
    await store.set('n', 1);
    await store.set(metaKey('n'), { v: 2 });
    const e = versionedEntry(store, 'n', z.number(), () => 0, { version: 4, migrations: { 2: () => 1000, 3: (v: number) => v * 10, 4: (v: number) => v + 1 } });
    expect(await e.read()).toBe(11);
  });

  it('a corrupt entry is kept aside and reported; the other entries read as before', async () => {
    const store = memoryStore();
    const state = createState(store);
    await state.grants.write([grantV1('1')]);
    await state.keyNames.write({ '1': 'trading bot' });
    await state.connections.write({ 'https://dapp.test': { accounts: [A], connectedAt: 5 } });
    await store.set('connections', 'not a record'); // a corrupt entry

    expect(await state.connections.read()).toEqual({}); // its fallback, as before
    expect((await state.grants.read()).map((g) => g.keyId)).toEqual(['1']);
    expect(await state.keyNames.read()).toEqual({ '1': 'trading bot' });

    const [report, ...more] = await unreadableEntries(store);
    expect(more).toEqual([]);
    expect(report).toMatchObject({ key: 'connections', keptAs: expect.stringMatching(/^connections\.unreadable\.\d+$/) });
    expect(report!.error).toMatch(/expected object, received string/i);
    expect(store.data.get(report!.keptAs)).toMatchObject({ key: 'connections', version: 1, value: 'not a record' });
    // Read again: still one copy, one report.
    await state.connections.read();
    expect(await unreadableEntries(store)).toHaveLength(1);
    // The original is still where it was until something is written there.
    expect(store.data.get('connections')).toBe('not a record');
  });

  it('a later write does not erase the kept-aside value', async () => {
    const store = memoryStore();
    await store.set('connections', { 'https://dapp.test': { accounts: 'broken' } });
    const state = createState(store);
    // Written without a read first: the write keeps the old value aside itself.
    await state.connections.write({ 'https://other.test': { accounts: [B], connectedAt: 9 } });
    const [report] = await unreadableEntries(store);
    expect(report?.key).toBe('connections');
    expect(store.data.get(report!.keptAs)).toMatchObject({ value: { 'https://dapp.test': { accounts: 'broken' } } });
    expect(await state.connections.read()).toEqual({ 'https://other.test': { accounts: [B], connectedAt: 9 } });
    // More writes: the copy and its report stay.
    await state.connections.write({});
    expect(store.data.get(report!.keptAs)).toMatchObject({ value: { 'https://dapp.test': { accounts: 'broken' } } });
    expect(await unreadableEntries(store)).toEqual([report]);
  });

  it('a write is refused, and the stored value left as it is, when it cannot be kept aside', async () => {
    const inner = memoryStore();
    await inner.set('grants', 'corrupt');
    // A store whose copies do not stick (full, or failing).
    const store: KeyValueStore = { get: inner.get, set: async (k, v) => (k.includes('.unreadable.') ? undefined : inner.set(k, v)) };
    const state = createState(store);
    expect(await state.grants.read()).toEqual([]);
    await expect(state.grants.write([grantV1('9')])).rejects.toThrow(StorageError);
    expect(inner.data.get('grants')).toBe('corrupt');
    expect(await unreadableEntries(store)).toEqual([]);
  });

  it('one bad grant among good ones: the good ones read, the whole stored value is kept aside', async () => {
    const store = memoryStore();
    await store.set('grants', [grantV1('1'), { ...grantV1('2'), signer: 'nope' }, grantV1('3')]);
    const state = createState(store);
    expect((await state.grants.read()).map((g) => g.keyId)).toEqual(['1', '3']);
    const [report] = await unreadableEntries(store);
    expect(report).toMatchObject({ key: 'grants', items: 1, error: expect.stringMatching(/^1\.signer: /) });
    expect((store.data.get(report!.keptAs) as { value: unknown[] }).value).toHaveLength(3);
    await state.grants.write([...(await state.grants.read()), grantV1('4')]);
    expect((store.data.get(report!.keptAs) as { value: unknown[] }).value).toHaveLength(3);
  });

  it('an entry written by a newer release, or whose migration throws, is kept aside, not overwritten', async () => {
    const store = memoryStore();
    await store.set('keyNames', { '1': 'x' });
    await store.set(metaKey('keyNames'), { v: 7 });
    const state = createState(store);
    expect(await state.keyNames.read()).toEqual({});
    expect((await unreadableEntries(store))[0]).toMatchObject({ key: 'keyNames', error: expect.stringMatching(/newer release \(version 7/) });

    await store.set('n', 5);
    const e = versionedEntry(store, 'n', z.number(), () => 0, {
      version: 2,
      migrations: {
        2: () => {
          throw new Error('boom');
        },
      },
    });
    expect(await e.read()).toBe(0);
    expect((await unreadableEntries(store))[1]).toMatchObject({ key: 'n', error: 'migration to version 2 failed: boom' });
    await e.write(6);
    expect(store.data.get('n')).toBe(6);
    expect(store.data.get(metaKey('n'))).toEqual({ v: 2 });
    expect(store.data.get((await unreadableEntries(store))[1]!.keptAs)).toMatchObject({ version: 1, value: 5 });
  });

  it('a corrupt approvals entry does not stop new requests, and is kept aside', async () => {
    const store = memoryStore();
    await store.set('approvals', { x: { id: 'x', state: 'weird' } });
    let n = 0;
    const approvals = createApprovals({ store, openWindow: async () => undefined, newId: () => `id${n++}` });
    const a = await approvals.open({ origin: 'https://dapp.test', kind: 'connect', method: 'eth_requestAccounts', params: [] });
    expect((await approvals.list()).map((x) => x.id)).toEqual([a.id]);
    const [report] = await unreadableEntries(store);
    expect(report).toMatchObject({ key: 'approvals', items: 1 });
    expect(store.data.get(report!.keptAs)).toMatchObject({ value: { x: { id: 'x', state: 'weird' } } });
  });

  it('a bad item in the index of unreadable entries hides none of the others', async () => {
    const store = memoryStore();
    await store.set(UNREADABLE_INDEX, [{ key: 'grants', keptAs: 'grants.unreadable.1', error: 'e', at: 1 }, 'junk']);
    expect(await unreadableEntries(store)).toEqual([{ key: 'grants', keptAs: 'grants.unreadable.1', error: 'e', at: 1 }]);
  });

  it('the popup’s overview says what the wallet could not read, and where it was kept', async () => {
    const store = memoryStore();
    await store.set('grants', { not: 'a list' });
    await store.set('keyNames', { '1': 'bot' });
    const { bg } = testBackground({ store });
    const r = (await bg.handleUi({ type: 'ui:overview' })) as { ok: boolean; grants: unknown[]; unreadable: { key: string; keptAs: string }[] };
    expect(r.ok).toBe(true);
    expect(r.grants).toEqual([]);
    expect(r.unreadable).toEqual([{ key: 'grants', keptAs: expect.stringMatching(/^grants\.unreadable\.\d+$/) }]);
    expect(store.data.get(r.unreadable[0]!.keptAs)).toMatchObject({ value: { not: 'a list' } });
    expect(await createState(store).keyNames.read()).toEqual({ '1': 'bot' });
  });
});
