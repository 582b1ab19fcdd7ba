// The background's persistent state (chrome.storage.local in the extension, a Map in tests). Every
// value is parsed when read, so a corrupted or old entry is dropped rather than trusted.
import type { z } from 'zod';

export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export function memoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (k) => structuredClone(data.get(k)),
    set: async (k, v) => void data.set(k, structuredClone(v)),
  };
}

export function typedEntry<T>(store: KeyValueStore, key: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, fallback: () => NoInfer<T>) {
  return {
    async read(): Promise<T> {
      const parsed = schema.safeParse(await store.get(key));
      return parsed.success ? parsed.data : fallback();
    },
    write: (value: T) => store.set(key, value),
  };
}
