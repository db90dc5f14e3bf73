/**
 * The README's performance table, produced from bench/results.json (never typed by hand):
 * `npm run bench` rewrites it after a full run; `tsx bench/readme.ts` does it from the file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const START = '<!-- bench:start (generated from bench/results.json by npm run bench; do not edit) -->';
export const END = '<!-- bench:end -->';

interface Fig {
  median: number;
  min: number;
  max: number;
}

interface Results {
  date: string;
  quick: boolean;
  machine: { cores: number; cpu: string; node: string };
  overhead: { pluginMedianMs: Fig; directMedianMs: Fig; ratio: Fig; directGotMedianMs: Fig; ratioGot: Fig };
  throughput: Record<string, { pluginPerSecond: Fig; directPerSecond: Fig; ratio: Fig; directGotPerSecond: Fig; ratioGot: Fig }>;
  coldStart: { runMs: Fig; infoMs: Fig; bareNodeMs?: Fig };
  memory: { afterRound1MiB: number; afterRound2MiB: number; actions: number; growthPercent: number };
  ismCallsPerAction: Record<string, number>;
  connectionsPer1000Calls: number;
  validation: { fields: number; oneIncidentMicros: Fig; thousandIncidentsMs: Fig };
  simulator: { lookupsPerSecond: Fig; lookupLatencyMs: Fig };
  targets: { name: string; value: number; target: string; met: boolean }[];
}

const f = (x: Fig, digits = 2) => `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;

export function renderReadmeTable(r: Results): string {
  const rows: string[] = [];
  rows.push(`Measured ${r.date.slice(0, 10)} on ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}${r.quick ? ', quick run' : ''}. Figures are median (min–max) over several runs.`);
  rows.push('');
  rows.push('The same ISM calls are also made directly, in the same run, with two keep-alive clients: Node\'s own `http` module (the floor) and got configured as the plugin\'s client (which isolates what the runtime and the plugin add from what got itself costs). Targets are judged against the first.');
  rows.push('');
  rows.push('| measure | plugin | direct, node:http | ratio | direct, got | ratio | target |');
  rows.push('|---|---|---|---|---|---|---|');
  rows.push(
    `| create_incident latency at concurrency 1 (ms) | ${f(r.overhead.pluginMedianMs)} | ${f(r.overhead.directMedianMs)} | ${f(r.overhead.ratio)} | ${f(r.overhead.directGotMedianMs)} | ${f(r.overhead.ratioGot)} | ratio ≤ 1.25 |`,
  );
  for (const [name, t] of Object.entries(r.throughput)) {
    rows.push(
      `| ${name} per second at concurrency 16 | ${f(t.pluginPerSecond, 0)} | ${f(t.directPerSecond, 0)} | ${f(t.ratio)} | ${f(t.directGotPerSecond, 0)} | ${f(t.ratioGot)} | ratio ≥ 0.60${name === 'create_incident' ? ', ≥ 500/s' : ''} |`,
    );
  }
  rows.push('');
  rows.push('| measure | value | target |');
  rows.push('|---|---|---|');
  rows.push(`| cold start of \`run\` (create_incident), process start to exit (ms) | ${f(r.coldStart.runMs, 0)} | ≤ 200 |`);
  rows.push(`| cold start of \`info\` (ms) | ${f(r.coldStart.infoMs, 0)} | ≤ 120 |`);
  if (r.coldStart.bareNodeMs) rows.push(`| for scale: \`node -e 0\` on the same machine (ms) | ${f(r.coldStart.bareNodeMs, 0)} | |`);
  rows.push(`| plugin server RSS after ${r.memory.actions.toLocaleString('en-US')} mixed actions (MiB) | ${r.memory.afterRound2MiB.toFixed(1)} | ≤ 120 |`);
  rows.push(`| RSS growth between two identical rounds | ${r.memory.growthPercent.toFixed(1)} % | < 5 % |`);
  rows.push(`| validating one full incident output (${r.validation.fields} fields), µs | ${f(r.validation.oneIncidentMicros)} | |`);
  rows.push(`| validating 1,000 incident outputs (ms) | ${f(r.validation.thousandIncidentsMs)} | |`);
  rows.push(`| TCP connections per 1,000 ISM calls (keep-alive) | ${r.connectionsPer1000Calls.toFixed(1)} | |`);
  rows.push(`| simulator lookups per second, one core | ${f(r.simulator.lookupsPerSecond, 0)} | ≥ 5,000 |`);
  rows.push(`| simulator lookup latency (ms) | ${f(r.simulator.lookupLatencyMs, 3)} | < 1 |`);
  rows.push('');
  rows.push('| action | ISM calls per action |');
  rows.push('|---|---|');
  for (const [name, n] of Object.entries(r.ismCallsPerAction)) rows.push(`| ${name} | ${n.toFixed(2)} |`);
  const missed = r.targets.filter((t) => !t.met);
  rows.push('');
  rows.push(missed.length ? `Missed in this run: ${missed.map((m) => m.name).join('; ')}.` : 'Every target was met in this run.');
  return rows.join('\n');
}

export function updateReadme(path: string, results: Results): void {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README has no ${START} ... ${END} section`);
  writeFileSync(path, text.slice(0, start + START.length) + '\n' + renderReadmeTable(results) + '\n' + text.slice(end));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  updateReadme('README.md', JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results);
}
