/** Answers started before they were asked for, each taken at most once. */
export interface PrefetchCache<T> {
  put(key: string, value: Promise<T>): void;
  /** The value under a key, removed from the cache; undefined when absent or too old. */
  take(key: string): Promise<T> | undefined;
}

/**
 * A small cache of in-flight answers: the dashboard starts a page's queries while the page loads,
 * and the page's own requests pick them up. Entries live `ttlMs` and are used once, so nothing
 * is served twice or late; the size is bounded so that no client can grow it without limit.
 */
export function createPrefetchCache<T>(options: { readonly ttlMs: number; readonly maxEntries: number; readonly now: () => number }): PrefetchCache<T> {
  const entries = new Map<string, { value: Promise<T>; atMs: number }>();
  return {
    put(key, value) {
      const t = options.now();
      for (const [k, e] of entries) if (t - e.atMs > options.ttlMs) entries.delete(k);
      while (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value!);
      // A prefetch nobody takes must not surface as an unhandled rejection.
      value.catch(() => undefined);
      entries.set(key, { value, atMs: t });
    },
    take(key) {
      const e = entries.get(key);
      if (e === undefined) return undefined;
      entries.delete(key);
      return options.now() - e.atMs > options.ttlMs ? undefined : e.value;
    },
  };
}
