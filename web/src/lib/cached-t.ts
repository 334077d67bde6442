/**
 * A translator that remembers its answers. i18next's t() resolves keys, plurals and interpolation
 * on every call — about 1 ms per worklist row of some twenty labels, a fifth of the first render's
 * script time in Chromium's profile — while a list repeats the same few labels. Options must be
 * plain data (they are part of the cache key). Make one per language (the answers are its).
 */
import type { TFunction } from 'i18next';

export function cachedT(t: TFunction, max = 5000): TFunction {
  const cache = new Map<string, string>();
  const cached = (key: string | string[], options?: Record<string, unknown>): string => {
    const id = options === undefined ? String(key) : `${String(key)}\u0000${JSON.stringify(options)}`;
    let text = cache.get(id);
    if (text === undefined) {
      text = String((t as unknown as (k: string | string[], o?: object) => unknown)(key, options));
      // A bounded cache: a long shift of live alerts must not grow it without end.
      if (cache.size >= max) cache.clear();
      cache.set(id, text);
    }
    return text;
  };
  return cached as unknown as TFunction;
}
