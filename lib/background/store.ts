// The background's persistent state (chrome.storage.local in the extension, a Map in tests), one
// versioned entry per key. Every value is migrated to its current version and parsed when read; a
// value that cannot be read is never trusted, never dropped and never overwritten before it is
// kept aside.
//
// Why not WXT's `storage.defineItem` here: lib/ runs without browser APIs (tests, the agent), and
// WXT's `storage` is a singleton whose drivers are bound to `browser.storage` (`createStorage` and
// the drivers are not exported), so it cannot run on the injected KeyValueStore. It also keeps a
// value whose migration threw (it logs and reads the unmigrated value) and does not parse. So this
// layer mirrors WXT's model instead, with the same layout: the value stays at `key` as it always
// was, its version sits in `key$` as `{ v }`, and a value with no `key$` is version 1: everything
// the current release wrote (unversioned) reads as version 1. `migrations[n]` turns a version n-1
// value into version n, as in WXT. The worker's own entries (entrypoints/background.ts) use WXT.
//
// An entry that fails (a migration throws, the schema refuses it, or a newer release wrote it) is
// copied whole to `<key>.unreadable.<time>` and listed in `storage.unreadable` (`unreadableEntries`,
// which the popup shows). Reads then return the fallback, as before, so one bad entry does not stop
// the wallet. A write to such an entry first makes sure the copy exists and reads back equal, and
// refuses (StorageError) when it cannot: the value it replaces is never lost. Refusing every write
// instead would turn one unreadable record into a wallet that can grant or approve nothing (the
// approvals entry is written on every request). For collections (an array or a record of items) only
// the items that fail are left out of the read; the copy still holds the whole stored value.
import { z } from 'zod';

export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /** Several keys in one write (chrome.storage.local.set is atomic); one set at a time otherwise. */
  setMany?(entries: Record<string, unknown>): Promise<void>;
}

export function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (k) => structuredClone(data.get(k)),
    set: async (k, v) => void data.set(k, structuredClone(v)),
    setMany: async (entries) => {
      for (const [k, v] of Object.entries(entries)) data.set(k, structuredClone(v));
    },
  };
}

/** Where WXT keeps an item's metadata (`{ v }`), next to the value. */
export const metaKey = (key: string) => `${key}$`;
export const UNREADABLE_INDEX = 'storage.unreadable';

export class StorageError extends Error {
  override name = 'StorageError';
}

/** An entry the wallet could not read, and where its stored value was kept. */
export type UnreadableEntry = {
  key: string;
  /** The key holding a copy of the stored value: `{ key, version, error, at, value }`. */
  keptAs: string;
  error: string;
  at: number;
  /** Some items of a collection were read; these many were not. */
  items?: number;
};

const unreadableEntrySchema = z.object({ key: z.string(), keptAs: z.string(), error: z.string(), at: z.number(), items: z.number().optional() });

/** The entries kept aside so far (the index's items one by one: a bad item never hides the rest). */
export async function unreadableEntries(store: KeyValueStore): Promise<UnreadableEntry[]> {
  const raw = await store.get(UNREADABLE_INDEX);
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    const p = unreadableEntrySchema.safeParse(item);
    return p.success ? [p.data] : [];
  });
}

// Keeping aside is serialized per store: a read and a write racing on one bad entry make one copy.
const keepAsideQueues = new WeakMap<KeyValueStore, Promise<unknown>>();
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function keepAside(
  store: KeyValueStore,
  now: () => number,
  p: { key: string; version: number; raw: unknown; error: string; items?: number },
): Promise<UnreadableEntry> {
  const run = (keepAsideQueues.get(store) ?? Promise.resolve()).then(async () => {
    const index = await unreadableEntries(store);
    for (const e of index.filter((e) => e.key === p.key)) {
      const copy = (await store.get(e.keptAs)) as { value?: unknown } | undefined;
      if (copy && same(copy.value, p.raw)) return e; // already kept
    }
    const at = now();
    let keptAs = `${p.key}.unreadable.${at}`;
    for (let i = 2; (await store.get(keptAs)) !== undefined; i++) keptAs = `${p.key}.unreadable.${at}.${i}`;
    const copy = { key: p.key, version: p.version, error: p.error, at, value: p.raw };
    await store.set(keptAs, copy);
    if (!same(await store.get(keptAs), copy)) throw new StorageError(`Could not keep the unreadable "${p.key}" aside: it was left as it is`);
    const entry: UnreadableEntry = { key: p.key, keptAs, error: p.error, at, ...(p.items !== undefined && { items: p.items }) };
    await store.set(UNREADABLE_INDEX, [...index, entry]);
    return entry;
  });
  keepAsideQueues.set(
    store,
    run.catch(() => undefined),
  );
  return run;
}

type Schema<T> = z.ZodType<T, z.ZodTypeDef, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration takes what an older release wrote
export type Migrations = Record<number, (value: any) => unknown>;

export type EntryOptions = {
  /** The current version (1 unless a migration exists); values without `key$` are version 1. */
  version?: number;
  /** `migrations[n]` turns a version n-1 value into version n. */
  migrations?: Migrations;
  now?: () => number;
};

type Decoded<T> = { ok: true; value: T; bad?: undefined } | { ok: true; value: T; bad: { items: number; error: string } } | { ok: false; error: string };

const issue = (e: z.ZodError, at: (string | number)[] = []) => {
  const i = e.issues[0];
  const path = [...at, ...(i?.path ?? [])];
  return `${path.length ? `${path.join('.')}: ` : ''}${i?.message ?? 'invalid'}`;
};

/** Reads the items of an array or record one by one: the ones that parse, and how many did not. */
function salvage<T>(schema: Schema<T>, value: unknown): Decoded<T> | undefined {
  let kept: unknown;
  let bad = 0;
  let error = '';
  const one = (item: z.ZodTypeAny, v: unknown, at: string) => {
    const p = item.safeParse(v);
    if (!p.success) {
      bad++;
      error ||= issue(p.error, [at]);
    }
    return p;
  };
  if (schema instanceof z.ZodArray && Array.isArray(value)) {
    kept = value.filter((v, i) => one(schema.element, v, String(i)).success);
  } else if (schema instanceof z.ZodRecord && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    kept = Object.fromEntries(Object.entries(value).filter(([k, v]) => one(schema.valueSchema, v, k).success));
  } else return undefined;
  const all = schema.safeParse(kept);
  if (!all.success || bad === 0) return undefined;
  return { ok: true, value: all.data as T, bad: { items: bad, error } };
}

/**
 * One persisted entry: its key, schema, value when absent, version and migrations. `read` never
 * throws for a bad stored value (it is kept aside and the fallback read); `write` keeps an
 * unreadable stored value aside before replacing it, or throws StorageError.
 */
export function versionedEntry<T>(store: KeyValueStore, key: string, schema: Schema<T>, fallback: () => NoInfer<T>, opts: EntryOptions = {}) {
  const version = opts.version ?? 1;
  if (!Number.isInteger(version) || version < 1) throw new Error(`${key}: versions start at 1`);
  const now = opts.now ?? Date.now;

  async function decode(raw: unknown, storedVersion: number): Promise<Decoded<T>> {
    if (storedVersion > version) return { ok: false, error: `written by a newer release (version ${storedVersion}; this one reads ${version})` };
    let value = raw;
    for (let v = storedVersion + 1; v <= version; v++) {
      const migrate = opts.migrations?.[v];
      if (!migrate) continue;
      try {
        value = await migrate(value);
      } catch (e) {
        return { ok: false, error: `migration to version ${v} failed: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    return salvage(schema, value) ?? { ok: false, error: issue(parsed.error) };
  }

  async function load() {
    const raw = await store.get(key);
    if (raw === undefined || raw === null) return { raw: undefined, storedVersion: version, decoded: undefined };
    const meta = await store.get(metaKey(key));
    const v = typeof meta === 'object' && meta !== null ? (meta as { v?: unknown }).v : undefined;
    const storedVersion = typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
    return { raw, storedVersion, decoded: await decode(raw, storedVersion) };
  }

  const aside = (raw: unknown, storedVersion: number, d: Decoded<T>) =>
    keepAside(store, now, { key, version: storedVersion, raw, ...(d.ok ? { error: d.bad!.error, items: d.bad!.items } : { error: d.error }) });

  return {
    key,
    version,
    async read(): Promise<T> {
      const { raw, storedVersion, decoded } = await load();
      if (!decoded) return fallback();
      if (!decoded.ok || decoded.bad) await aside(raw, storedVersion, decoded).catch(() => undefined); // retried by write
      return decoded.ok ? decoded.value : fallback();
    },
    async write(value: T): Promise<void> {
      const { raw, storedVersion, decoded } = await load();
      if (decoded && (!decoded.ok || decoded.bad)) await aside(raw, storedVersion, decoded);
      // A version 1 entry keeps today's layout (no `key$`); later versions write theirs with the value.
      if (version === 1 && storedVersion === 1) return store.set(key, value);
      const entries = { [key]: value, [metaKey(key)]: { v: version } };
      if (store.setMany) return store.setMany(entries);
      // No atomic write: value first. Cut between the two, the value reads as the old version and
      // fails (or migrates again): it is then kept aside, not lost.
      await store.set(key, value);
      await store.set(metaKey(key), { v: version });
    },
  };
}

/** A version 1 entry (kept for callers written before versions). */
export function typedEntry<T>(store: KeyValueStore, key: string, schema: Schema<T>, fallback: () => NoInfer<T>) {
  return versionedEntry(store, key, schema, fallback);
}
