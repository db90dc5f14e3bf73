/**
 * Connections are made once per distinct connection and reused by later steps.
 * Key: a hash of the canonical connection JSON (every setting, the secret included), so a
 * cached connection only ever serves a step whose whole connection is the same. A
 * `connection_cache_key` narrows reuse further (two keys, two connections); it never widens
 * it. The cache is a bounded LRU, so a plugin serving many tenants does not grow without limit.
 */
import { createHash } from 'node:crypto';
import type { PluginConnection } from './plugin.js';

export const CACHE_KEY_FIELD = 'connection_cache_key';

/** JSON with object keys sorted at every level, so equal connections hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * The cache key of a connection: the hash of its settings, with the `connection_cache_key`
 * (when it is a non-empty string) hashed in as well. A connection sent with an empty or
 * non-string key is the same entry as the same connection sent without one.
 */
export function connectionCacheKey(connection: Record<string, unknown>): string {
  const { [CACHE_KEY_FIELD]: given, ...settings } = connection;
  const hash = createHash('sha256').update(canonicalJson(settings));
  // JSON text keeps the given key from running into the settings: no two pairs hash alike.
  if (typeof given === 'string' && given !== '') hash.update(`\n${JSON.stringify(given)}`);
  return hash.digest('hex');
}

export class ConnectionCache<C extends PluginConnection = PluginConnection> {
  private readonly entries = new Map<string, Promise<C>>();

  constructor(readonly capacity = 64) {
    if (!(capacity >= 1)) throw new RangeError('connection cache capacity must be at least 1');
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The cached connection for `key`, or a new one from `connect`. Concurrent first
   * requests share one connect; a failed connect is not cached.
   */
  get(key: string, connect: () => Promise<C>): Promise<C> {
    const found = this.entries.get(key);
    if (found) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const made = connect();
    this.entries.set(key, made);
    made.catch(() => {
      if (this.entries.get(key) === made) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      const evicted = this.entries.get(oldest);
      this.entries.delete(oldest);
      evicted?.then((c) => c.close?.()).catch(() => undefined);
    }
    return made;
  }

  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((p) => p.then((c) => c.close?.()).catch(() => undefined)));
  }
}
