// Extension messaging is JSON: bigints (amounts, keyIds, block numbers) travel as
// { $bigint: "123" } and come back as bigints on the other side.
export function toJsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (Array.isArray(v)) return v.map(toJsonSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonSafe(x)]));
  return v;
}

export function fromJsonSafe<T = unknown>(v: unknown): T {
  if (Array.isArray(v)) return v.map(fromJsonSafe) as T;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.$bigint === 'string' && /^-?\d+$/.test(o.$bigint)) return BigInt(o.$bigint) as T;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, fromJsonSafe(x)])) as T;
  }
  return v as T;
}
