/**
 * `npm run reliability` leaves tracked files alone unless asked with --record: the hardening
 * suite's figures go to a scratch file, and the README's table is printed, not written.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planRun } from '../../scripts/reliability.js';
import { reliabilityTable } from '../../scripts/reliability-table.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RECORDED = join(ROOT, 'reliability/results.json');
const README = join(ROOT, 'README.md');
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

t.test('without --record the figures go to a scratch file and the README is not written', async (t) => {
  const plan = planRun([]);
  t.teardown(() => plan.scratch && rmSync(plan.scratch, { recursive: true, force: true }));
  t.not(plan.results, RECORDED);
  t.ok(plan.results.startsWith(tmpdir()), `scratch results in ${plan.results}`);
  t.equal(plan.writeReadme, false);
  t.ok(plan.files.length >= 5 && plan.files.every((f) => /^test\/hardening\/.+\.test\.ts$/.test(f)), `the whole hardening suite (${plan.files.length} files)`);
  t.ok(plan.files.includes('test/hardening/faults.test.ts'));
});

t.test('--record writes the committed results and the README', async (t) => {
  const plan = planRun(['--record', 'test/hardening/tls.test.ts']);
  t.equal(plan.results, RECORDED);
  t.equal(plan.writeReadme, true);
  t.same(plan.files, ['test/hardening/tls.test.ts']);
  t.equal(plan.scratch, undefined);
});

t.test('the table made from other figures is printed, and the README keeps its bytes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'reliability-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const figures = JSON.parse(readFileSync(RECORDED, 'utf8')) as Record<string, Record<string, unknown>>;
  const section = Object.keys(figures)[0]!;
  figures[section]!.recordedAt = '2031-01-02T00:00:00.000Z';
  const results = join(dir, 'results.json');
  writeFileSync(results, JSON.stringify(figures));
  const before = hash(README);
  const { markdown, stale } = reliabilityTable({ results, write: false });
  t.match(markdown, /last run 2031-01-02/, 'the table is made from the scratch figures');
  t.equal(stale, true, 'they differ from what the README shows');
  t.equal(hash(README), before, 'README.md unchanged');
});

t.test('the suite records into the file it is given, never the committed one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'reliability-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const results = join(dir, 'nested', 'results.json');
  const before = hash(RECORDED);
  const saved = { record: process.env.RELIABILITY_RECORD, results: process.env.RELIABILITY_RESULTS };
  process.env.RELIABILITY_RECORD = '1';
  process.env.RELIABILITY_RESULTS = results;
  t.teardown(() => {
    for (const [name, value] of [['RELIABILITY_RECORD', saved.record], ['RELIABILITY_RESULTS', saved.results]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const { recordResults } = await import('../hardening/helpers.js');
  recordResults('probe', { figure: 42 });
  t.ok(existsSync(results), 'written where RELIABILITY_RESULTS points');
  t.match(JSON.parse(readFileSync(results, 'utf8')), { probe: { figure: 42 } });
  t.equal(hash(RECORDED), before, 'reliability/results.json unchanged');
});
