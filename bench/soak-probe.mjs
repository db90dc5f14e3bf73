// Preloaded into the trigger's process by the soak (bench/soak.ts), never shipped: every
// SOAK_PROBE_MS it runs a full GC and writes, as one JSON line to file descriptor 3 (a pipe the
// soak reads, so the trigger's own stdout and stderr stay as they are), the heap in use, the
// part of it that is compiled code (it grows while V8 optimises, then levels off) and the RSS.
// Compiled code is what V8 keeps in its code spaces and, on Node 22 and later, in its trusted
// spaces (bytecode, deoptimisation data and relocation info of compiled functions); on Node 20
// that metadata sits in the old space and counts as data.
import { writeSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const every = Number(process.env.SOAK_PROBE_MS ?? 5000);
setInterval(() => {
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  const code = getHeapSpaceStatistics()
    .filter((s) => s.space_name.startsWith('code') || s.space_name.startsWith('trusted'))
    .reduce((sum, s) => sum + s.space_used_size, 0);
  try {
    writeSync(3, `${JSON.stringify({ at: Date.now(), heapUsed, code, rss })}\n`);
  } catch {
    // the soak has stopped reading
  }
}, every).unref();
