/**
 * `npm run reliability [-- --record] [-- FILE...]`: runs the hardening suite (test/hardening/,
 * or the files named) with its figures recorded, then prints the README's reliability table
 * made from them.
 *
 * Without --record the figures go to a scratch file that is removed afterwards, and no tracked
 * file changes. With --record they are merged into reliability/results.json and the README's
 * section is rewritten, for a commit. Exits 1 when the suite fails or a figure that must be
 * zero (duplicates, secrets found) is not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { reliabilityTable } from './reliability-table.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RECORDED = join(ROOT, 'reliability/results.json');

export interface ReliabilityPlan {
  files: string[];
  /** Where the suite writes its figures. */
  results: string;
  /** Whether the README's section is rewritten. */
  writeReadme: boolean;
  /** A scratch directory to remove afterwards, when not recording. */
  scratch?: string;
}

export function planRun(argv: string[]): ReliabilityPlan {
  const record = argv.includes('--record');
  const named = argv.filter((a) => !a.startsWith('--'));
  const files = named.length
    ? named
    : readdirSync(join(ROOT, 'test/hardening'))
        .filter((f) => f.endsWith('.test.ts'))
        .sort()
        .map((f) => `test/hardening/${f}`);
  if (record) return { files, results: RECORDED, writeReadme: true };
  const scratch = mkdtempSync(join(tmpdir(), 'reliability-'));
  return { files, results: join(scratch, 'results.json'), writeReadme: false, scratch };
}

function main(): number {
  const plan = planRun(process.argv.slice(2));
  try {
    const tap = spawnSync(join(ROOT, 'node_modules/.bin/tap'), plan.files, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, RELIABILITY_RECORD: '1', RELIABILITY_RESULTS: plan.results },
    });
    if (tap.status !== 0) {
      console.error(`reliability: the hardening suite failed (exit ${tap.status ?? tap.signal})`);
      return 1;
    }
    const { markdown, stale, failures } = reliabilityTable({ results: plan.results, write: plan.writeReadme });
    process.stdout.write(`\n${markdown}\n\n`);
    if (plan.writeReadme) console.log(stale ? 'README.md and reliability/results.json updated.' : 'README.md already up to date.');
    else console.log('Not recorded: no tracked file changed (run `npm run reliability -- --record` to update reliability/results.json and the README).');
    for (const failure of failures) console.error(`reliability: ${failure} (must be 0)`);
    return failures.length ? 1 : 0;
  } finally {
    if (plan.scratch) rmSync(plan.scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();
