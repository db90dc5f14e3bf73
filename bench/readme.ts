/**
 * The README's performance table, produced from the recorded results (never typed by hand):
 * bench/results-node<major>.json, one file per Node major that `npm run bench -- --record` ran
 * on. `tsx bench/readme.ts` rewrites the table from the files.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { SoakResult } from './soak.js';

export const START = '<!-- bench:start (generated from bench/results-node*.json by npm run bench -- --record; do not edit) -->';
export const END = '<!-- bench:end -->';

/** The Node majors whose results the README shows, newest first. */
export const NODE_MAJORS = ['24', '20'];

export interface Fig {
  median: number;
  min: number;
  max: number;
  runs?: number[];
}

export interface Results {
  date: string;
  quick: boolean;
  machine: { cores: number; cpu: string; node: string; platform: string; pinned: boolean; loadAverage?: { start: number; end: number } };
  nodeOptions: string;
  overhead: { pluginMedianMs: Fig; directMedianMs: Fig; addedMs: Fig; directGotMedianMs: Fig; addedGotMs: Fig };
  throughput: Record<
    string,
    {
      pluginPerSecond: Fig;
      directPerSecond: Fig;
      ratio: Fig;
      directGotPerSecond: Fig;
      ratioGot: Fig;
      serverCpuMicros: Fig;
      directCpuMicros: Fig;
      directGotCpuMicros: Fig;
      cpuRatio: Fig;
    }
  >;
  /** create_incident at concurrency 16 against a server at the default log level (info). */
  atInfoLevel?: { pluginPerSecond: Fig; serverCpuMicros: Fig; stderrLinesPerAction: Fig };
  coldStart: { runMs: Fig; infoMs: Fig; bareNodeMs: Fig };
  memory: { startMiB: number; afterRound1MiB: number; afterRound2MiB: number; actions: number; growthPercent: number };
  ismCallsPerAction: Record<string, number>;
  connectionsPer1000Calls: number;
  validation: { fields: number; oneIncidentMicros: Fig; thousandIncidentsMs: Fig };
  simulator: { lookupsPerSecond: Fig; lookupLatencyMs: Fig };
  soak?: SoakResult;
  targets: { name: string; value: number; target: string; met: boolean }[];
}

export function resultsFile(nodeVersion: string): string {
  return `bench/results-node${nodeVersion.split('.')[0]}.json`;
}

const f = (x: Fig, digits = 2) => `${x.median.toFixed(digits)} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;

/**
 * One table, a column per result (one per Node version), each figure median (min–max), with
 * the targets that hold on the newest Node's run (the bench prints the ones missed).
 */
export function renderResults(all: Results[]): string {
  const rows: string[] = [];
  const first = all[0]!;
  rows.push(
    `Measured on ${first.machine.cores} cores (${first.machine.cpu}, ${first.machine.platform}), shared with other work; ` +
      all
        .map((r) => {
          const load = r.machine.loadAverage ? `, load average ${r.machine.loadAverage.start.toFixed(1)} at the start and ${r.machine.loadAverage.end.toFixed(1)} at the end` : '';
          return `Node ${r.machine.node} on ${r.date.slice(0, 10)}${r.quick ? ' (quick run)' : ''}${load}`;
        })
        .join('; ') +
      `. NODE_OPTIONS as in the image: \`${first.nodeOptions}\`. Each figure is median (min–max) over several runs; the direct calls are made in the same run.`,
  );
  rows.push('');
  const head = `| measure | target | ${all.map((r) => `Node ${r.machine.node.replace(/^v/, '').split('.')[0]}`).join(' | ')} |`;
  rows.push(head, `|---|---|${all.map(() => '---|').join('')}`);
  // A target is shown only where it holds, judged on the first (newest) Node's run.
  const held = (name: string) => first.targets.some((t) => t.name.startsWith(name) && t.met);
  const row = (measure: string, target: string, cell: (r: Results) => string, name?: string) =>
    rows.push(`| ${measure} | ${target && name && held(name) ? target : ''} | ${all.map(cell).join(' | ')} |`);
  const create = (r: Results) => r.throughput.create_incident!;
  row('create_incident per second at concurrency 16, one server process', '≥ 1,200', (r) => f(create(r).pluginPerSecond, 0), 'create_incident actions per second');
  row('… the same ISM calls made directly (node:http), per second', '', (r) => f(create(r).directPerSecond, 0));
  row('server CPU per create_incident (µs)', '', (r) => f(create(r).serverCpuMicros, 0));
  row('… direct node:http client CPU for the same two ISM calls (µs)', '', (r) => f(create(r).directCpuMicros, 0));
  row('… ratio of the two', '≤ 3.0', (r) => f(create(r).cpuRatio), 'server CPU per create_incident');
  row('… direct got client CPU for the same two ISM calls (µs)', '', (r) => f(create(r).directGotCpuMicros, 0));
  const atInfo = (r: Results, cell: (x: NonNullable<Results['atInfoLevel']>) => string) => (r.atInfoLevel ? cell(r.atInfoLevel) : 'not run');
  row('… with the server at the default log level (info), per second', '', (r) => atInfo(r, (x) => f(x.pluginPerSecond, 0)));
  row('… its CPU per create_incident (µs), stderr lines per action', '', (r) => atInfo(r, (x) => `${f(x.serverCpuMicros, 0)}, ${x.stderrLinesPerAction.median.toFixed(1)}`));
  row('create_incident latency at concurrency 1 (ms)', '', (r) => f(r.overhead.pluginMedianMs));
  row('… the same ISM calls made directly (ms)', '', (r) => f(r.overhead.directMedianMs));
  row('… added by the plugin (ms)', '≤ 1.0', (r) => f(r.overhead.addedMs), 'added latency');
  for (const name of Object.keys(first.throughput).filter((n) => n !== 'create_incident')) {
    row(`${name} per second at concurrency 16 (direct)`, '', (r) => (r.throughput[name] ? `${f(r.throughput[name].pluginPerSecond, 0)} (${f(r.throughput[name].directPerSecond, 0)})` : ''));
  }
  row('one-shot `run` of create_incident, process start to exit (ms)', '≤ 100', (r) => f(r.coldStart.runMs, 0), 'cold start: run');
  row('one-shot `info` (ms)', '≤ 50', (r) => f(r.coldStart.infoMs, 0), 'cold start: info');
  row('for scale: `node -e 0` (ms)', '', (r) => f(r.coldStart.bareNodeMs, 0));
  row('server RSS after the mixed actions (MiB)', '≤ 100', (r) => `${r.memory.afterRound2MiB.toFixed(1)} after ${r.memory.actions.toLocaleString('en-US')}`, 'plugin RSS');
  row('RSS growth between two identical rounds', '< 2 %', (r) => `${r.memory.growthPercent.toFixed(1)} %`, 'RSS growth');
  row(`validating one full incident output (µs)`, '', (r) => f(r.validation.oneIncidentMicros));
  row('TCP connections per 1,000 ISM calls (keep-alive)', '', (r) => r.connectionsPer1000Calls.toFixed(1));
  row('simulator lookups per second, one core', '≥ 5,000', (r) => f(r.simulator.lookupsPerSecond, 0), 'simulator lookups');
  const soak = (r: Results, cell: (s: SoakResult) => string) => (r.soak ? cell(r.soak) : 'not run');
  row('New Incident trigger soak at frequency 1: length, ISM requests', '', (r) => soak(r, (s) => `${(s.seconds / 60).toFixed(1)} min, ${s.triggerRequests.toLocaleString('en-US')} requests`));
  row('… incidents created, delivered, missed, delivered twice', '= 0 missed or twice', (r) => soak(r, (s) => `${s.incidentsCreated}, ${s.eventsDelivered}, ${s.missed}, ${s.duplicates}`), 'trigger soak: incidents missed');
  row('… heap after GC without compiled code, slope after the warm-up (MiB per hour)', '≤ 1', (r) => soak(r, (s) => (s.dataHeapSlopeMiBPerHour ?? NaN).toFixed(2)), 'trigger soak: heap');
  row('… heap after GC with compiled code, slope (MiB per hour)', '', (r) => soak(r, (s) => `${s.heapSlopeMiBPerHour.toFixed(2)} (${s.heapStartMiB.toFixed(1)} → ${s.heapEndMiB.toFixed(1)} MiB)`));
  row('… RSS slope after the warm-up (MiB per hour)', '≤ 5', (r) => soak(r, (s) => `${s.rssSlopeMiBPerHour.toFixed(2)} (${s.rssStartMiB.toFixed(1)} → ${s.rssEndMiB.toFixed(1)} MiB)`), 'trigger soak: RSS');
  rows.push('');
  rows.push('| action | ISM calls per action |');
  rows.push('|---|---|');
  for (const [name, n] of Object.entries(first.ismCallsPerAction)) rows.push(`| ${name} | ${n.toFixed(2)} |`);
  return rows.join('\n').trimEnd();
}

/** The recorded results, newest Node first. */
export function recordedResults(root = '.'): Results[] {
  return NODE_MAJORS.map((major) => `${root}/bench/results-node${major}.json`)
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as Results);
}

export function updateReadme(path: string, root = '.'): void {
  const all = recordedResults(root);
  if (all.length === 0) throw new Error('no recorded results in bench/results-node*.json');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('<!-- bench:start');
  const end = text.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README has no ${START} ... ${END} section`);
  writeFileSync(path, text.slice(0, start) + START + '\n' + renderResults(all) + '\n' + text.slice(end));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) updateReadme('README.md');
