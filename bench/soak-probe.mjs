// Preloaded into the trigger's process by the soak (bench/soak.ts), never shipped: every
// SOAK_PROBE_MS it runs a full GC and writes, as one JSON line to file descriptor 3 (a pipe the
// soak reads, so the trigger's own stdout and stderr stay as they are), the heap in use, the
// part of it that is compiled code (it grows while V8 optimises, then levels off) and the RSS.
import { writeSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const every = Number(process.env.SOAK_PROBE_MS ?? 5000);
setInterval(() => {
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  const code = getHeapSpaceStatistics()
    .filter((s) => s.space_name.startsWith('code'))
    .reduce((sum, s) => sum + s.space_used_size, 0);
  try {
    writeSync(3, `${JSON.stringify({ at: Date.now(), heapUsed, code, rss })}\n`);
  } catch {
    // the soak has stopped reading
  }
}, every).unref();
