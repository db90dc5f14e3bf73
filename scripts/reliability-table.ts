/**
 * Renders reliability/results.json (written by the hardening suite, test/hardening/) as a short
 * Markdown table into README.md, between `<!-- reliability:start -->` and
 * `<!-- reliability:end -->`; nothing else in the README changes.
 *
 *   npx tsx scripts/reliability-table.ts            # write the README section
 *   npx tsx scripts/reliability-table.ts --check    # exit 1 when the section is stale
 *
 * Exits 1 as well when a figure that must be zero (duplicates, secrets found) is not.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RESULTS = fileURLToPath(new URL('../reliability/results.json', import.meta.url));
const README = fileURLToPath(new URL('../README.md', import.meta.url));
const START = '<!-- reliability:start -->';
const END = '<!-- reliability:end -->';

type Json = Record<string, any>;

const n = (value: unknown): string => (typeof value === 'number' ? value.toLocaleString('en-US') : '?');
const counts = (record: Record<string, number> | undefined, order?: string[]): string => {
  if (!record) return '?';
  const keys = order ?? Object.keys(record).sort((a, b) => record[b]! - record[a]!);
  return keys.filter((k) => record[k]).map((k) => `${k}: ${n(record[k])}`).join(', ');
};
const statuses = (record: Record<string, number> | undefined) =>
  record ? Object.keys(record).sort().map((k) => `${k} × ${n(record[k])}`).join(', ') : '?';
const range = (values: number[] | undefined, unit: string) => (values?.length ? `${values.join(' → ')} ${unit}` : '?');

export function renderTable(r: Json): { markdown: string; failures: string[] } {
  const rows: [string, string, string][] = [];
  const failures: string[] = [];
  const b = r.badInput;
  if (b) {
    rows.push([
      'Bad input (property-based)',
      `${n(b.cases)} generated cases in ${b.rounds} rounds (fast-check seed ${b.seed}), ${n(b.inProcessCases)} also through the in-process pipeline`,
      `answers ${statuses(b.answersByStatus)}; server up after every round; heap after GC ${range(b.heapUsedMB, 'MB')}`,
    ]);
  }
  const h = r.hostile;
  if (h) {
    const path = r.pathInjection ?? {};
    const header = r.headerInjection ?? {};
    rows.push([
      'Hostile input',
      `${h.injectionStrings} injection strings × ${h.placesPerString} inputs; ${path.hostileRecIds ?? '?'} hostile RecIds from ISM; ${header.keysTried ?? '?'} API keys with CR/LF, NUL or non-ASCII`,
      `${n(h.filtersChecked)} filters checked: ${h.malformedFilters} malformed, ${h.widenedMatches} widened; ${n(h.refusedBeforeAnyRequest)} refused before any request; ${path.writesSent ?? '?'} requests with a hostile path; ${header.requestsSent ?? '?'} requests with a bad key`,
    ]);
    if (h.widenedMatches !== 0) failures.push(`widened matches: ${h.widenedMatches}`);
  }
  const f = r.faults;
  if (f) {
    rows.push([
      'Faults (scripted)',
      `${f.cases?.length} faults × ${f.targets?.length} requests (each action's lookup and write) = ${n(f.steps)} steps; injected ${counts(f.faultsInjectedByKind)}`,
      `recovered ${n(f.outcomes?.recovered)}, failed cleanly ${n(f.outcomes?.['failed cleanly'])}; slowest step ${n(f.slowestStepMs)} ms; duplicate writes ${f.duplicates}`,
    ]);
  }
  const l = r.load;
  if (l) {
    rows.push([
      'Load',
      `${n(l.requests)} mixed actions (${counts(l.actionsByKind)}) at concurrency ${l.concurrency}, ${Math.round(l.faultRate * 100)}% random faults (${n(l.faultsInjected)} injected: ${counts(l.faultsInjectedByKind)})`,
      `answers ${statuses(l.answersByStatus)}, unanswered ${l.unanswered}; ${n(l.ismRequests)} ISM requests; duplicates ${l.duplicates}; reconciliation problems ${l.reconciliationProblems}; server RSS ${range(l.serverRssMB, 'MB')}; ${n(l.actionsPerSecond)} actions/s`,
    ]);
    if (l.reconciliationProblems !== 0) failures.push(`reconciliation problems: ${l.reconciliationProblems}`);
  }
  const c = r.clients;
  if (c) {
    const slow = c.slowClients ?? {};
    rows.push([
      'Slow and abusive clients',
      `slow and stalled bodies and headers, ${slow.slowlorisConnections ?? '?'} slowloris connections, bodies over the limit, ${n(c.idleSockets?.held)} idle sockets, ${c.maxConnections?.limit ?? '?'}-connection limit`,
      `all cut off (${slow.slowlorisCut ?? '?'} of ${slow.slowlorisConnections ?? '?'}; 408 within ${n(slow.slowBodyCutAfterMs)} ms); over the limit: ${c.bodyLimit?.declared ?? '?'}; idle sockets closed by the server: ${n(c.idleSocketsTimedOut)}; refused beyond the limit: ${c.maxConnections?.refusedBeyond ?? '?'}`,
    ]);
  }
  const tls = r.tls;
  if (tls) {
    rows.push(['ssl_verify', 'self-signed, CA-signed, another host name, expired', `refused ${tls.refused}, accepted ${tls.accepted}; requests reaching a refused tenant: ${tls.requestsReachingRefusedTenants}`]);
  }
  const s = r.secrets;
  const secretsFound = [b?.secretsFound, h?.secretsFound, s?.secretsFound, l?.secretsFound, tls?.secretsFound].reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : 0), 0);
  if (s) {
    rows.push([
      'Secrets (one canary key)',
      `${n(s.textsScanned)} texts of ${n(s.scenarios)} scenarios (answers, body.log, error, exception data, process log, ${s.cliRuns} CLI runs' stdout and stderr), in ${s.canaryForms?.length ?? '?'} forms`,
      `secrets found: ${s.secretsFound}`,
    ]);
  }
  const duplicates = (f?.duplicates ?? 0) + (l?.duplicates ?? 0);
  if (duplicates !== 0) failures.push(`duplicates found: ${duplicates}`);
  if (secretsFound !== 0) failures.push(`secrets found: ${secretsFound}`);

  const dates = Object.values(r)
    .map((v) => (v as Json).recordedAt)
    .filter((d): d is string => typeof d === 'string')
    .sort();
  const lines = [
    `Generated from \`reliability/results.json\` by \`npm run reliability -- --record\` (the hardening suite in \`test/hardening/\`, last run ${dates.at(-1)?.slice(0, 10) ?? '?'}); do not edit by hand.`,
    '',
    `**Duplicates found: ${duplicates}. Secrets found: ${secretsFound}.**`,
    '',
    '| part | what was tried | what happened |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
  return { markdown: lines.join('\n'), failures };
}

export function replaceSection(readme: string, markdown: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} ... ${END} section`);
  return `${readme.slice(0, start + START.length)}\n${markdown}\n${readme.slice(end)}`;
}

/**
 * Renders the table from a results file; with `write`, puts it into the README. Returns the
 * table and whether the README's section differs from it; exit code 1 on a non-zero failure.
 */
export function reliabilityTable(opts: { results?: string; readme?: string; write: boolean }): { markdown: string; stale: boolean; failures: string[] } {
  const readmePath = opts.readme ?? README;
  const results = JSON.parse(readFileSync(opts.results ?? RESULTS, 'utf8')) as Json;
  const { markdown, failures } = renderTable(results);
  const readme = readFileSync(readmePath, 'utf8');
  const updated = replaceSection(readme, markdown);
  if (opts.write && updated !== readme) writeFileSync(readmePath, updated);
  return { markdown, stale: updated !== readme, failures };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const check = process.argv.includes('--check');
  const { stale, failures } = reliabilityTable({ write: !check });
  if (check && stale) {
    console.error('README.md: the reliability section is stale; run npx tsx scripts/reliability-table.ts');
    process.exitCode = 1;
  } else if (stale) {
    console.log('README.md: reliability section updated');
  }
  for (const failure of failures) {
    console.error(`reliability: ${failure} (must be 0)`);
    process.exitCode = 1;
  }
}
