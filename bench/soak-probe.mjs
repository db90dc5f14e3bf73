// Preloaded into the trigger's process by the soak (bench/soak.ts), never shipped: every
// SOAK_PROBE_MS it runs a full GC and writes, as one JSON line to file descriptor 3 (a pipe the
// soak reads, so the trigger's own stdout and stderr stay as they are), the heap in use, the
// part of it that is compiled code (it grows while V8 optimises, then levels off), the heap V8
// has committed, what V8 has allocated with malloc, and the RSS with its two parts on Linux:
// anonymous memory, and pages of mapped files (the node binary's code and data).
// Compiled code is what V8 keeps in its code spaces and, on Node 22 and later, in its trusted
// spaces (bytecode, deoptimisation data and relocation info of compiled functions); on Node 20
// that metadata sits in the old space and counts as data.
import { readFileSync, writeSync } from 'node:fs';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

/** RssAnon and RssFile from /proc/self/status, in bytes; null where there is no /proc. */
function rssParts() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
    return { rssAnon: kb('RssAnon'), rssFile: kb('RssFile') };
  } catch {
    return { rssAnon: null, rssFile: null };
  }
}

const every = Number(process.env.SOAK_PROBE_MS ?? 5000);
setInterval(() => {
  globalThis.gc?.();
  const { heapUsed, heapTotal, rss } = process.memoryUsage();
  const code = getHeapSpaceStatistics()
    .filter((s) => s.space_name.startsWith('code') || s.space_name.startsWith('trusted'))
    .reduce((sum, s) => sum + s.space_used_size, 0);
  const sample = { at: Date.now(), heapUsed, code, heapTotal, malloced: getHeapStatistics().malloced_memory, rss, ...rssParts() };
  try {
    writeSync(3, `${JSON.stringify(sample)}\n`);
  } catch {
    // the soak has stopped reading
  }
}, every).unref();
