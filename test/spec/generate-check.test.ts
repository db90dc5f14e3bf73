/**
 * `npm run generate [-- --check]` as a child process, against temporary copies of the
 * files it reads and writes: fresh files pass, stale, missing and leftover files are
 * named, and a plain run repairs them. The scenarios run concurrently to keep this fast.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { generateFiles } from '../../src/spec/generate.js';
import { parseSpec, parseSpecDocument } from '../../src/spec/load.js';
import { ROOT, type Doc } from './helpers.js';

// Each run of the CLI costs about a second of CPU; on a busy machine they queue.

const CLI = join(ROOT, 'src', 'spec', 'generate-cli.ts');
const COPIED = ['plugin.spec.yaml', 'schemas', join('src', 'generated'), 'help.md'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The test runner's own hooks (process tracking, coverage) only slow the CLI down. */
const CHILD_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && k !== 'NODE_V8_COVERAGE' && !k.startsWith('TAP') && !k.startsWith('_TAP')),
);

function generate(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const temps: string[] = [];
t.teardown(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A temporary project holding only what the generator reads and writes. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spec-generate-'));
  temps.push(dir);
  for (const rel of COPIED) cpSync(join(ROOT, rel), join(dir, rel), { recursive: true });
  return dir;
}

function staleLines(stderr: string): string[] {
  return [...stderr.matchAll(/^\s*stale: (.+)$/gm)].map((m) => m[1]!.trim()).sort();
}

/** Starts a scenario now; its result is awaited later by its test. */
function scenario<T>(fn: () => Promise<T>): Promise<T> {
  const p = fn();
  p.catch(() => {}); // reported by the test that awaits it
  return p;
}

const realRoot = scenario(async () => generate(['--check']));

const EDITED = join('schemas', 'actions', 'add_note', 'input.json');
const TYPES = join('src', 'generated', 'types.ts');
const editedFiles = scenario(async () => {
  const dir = copyProject();
  const original = { edited: readFileSync(join(dir, EDITED), 'utf8'), types: readFileSync(join(dir, TYPES), 'utf8') };
  appendFileSync(join(dir, EDITED), ' ');
  rmSync(join(dir, TYPES));
  const check = await generate(['--check', '--root', dir]);
  const write = await generate(['--root', dir]);
  const restored =
    readFileSync(join(dir, EDITED), 'utf8') === original.edited && readFileSync(join(dir, TYPES), 'utf8') === original.types;
  const recheck = await generate(['--check', '--root', dir]);
  return { check, write, restored, recheck };
});

/** The changed spec is written next to the real one and named with --spec. */
const NEW_DESCRIPTION = 'Text of the note, in full';
const OTHER_SPEC = 'other.spec.yaml';
const specChange = scenario(async () => {
  const dir = copyProject();
  const text = readFileSync(join(dir, 'plugin.spec.yaml'), 'utf8');
  const changed = text.replace('description: Body of the note\n', `description: ${NEW_DESCRIPTION}\n`);
  if (changed === text) throw new Error('the add_note notes description was not found in plugin.spec.yaml');
  writeFileSync(join(dir, OTHER_SPEC), changed);
  // Which files the changed spec makes stale, worked out in process.
  const expected: string[] = [];
  for (const [rel, content] of generateFiles(parseSpec(changed))) {
    if (readFileSync(join(dir, rel), 'utf8') !== content) expected.push(rel);
  }
  const check = await generate(['--check', '--root', dir, '--spec', OTHER_SPEC]);
  const write = await generate(['--root', dir, '--spec', OTHER_SPEC]);
  const help = readFileSync(join(dir, 'help.md'), 'utf8');
  return { expected: expected.sort(), check, write, help };
});

const removedAction = scenario(async () => {
  const dir = copyProject();
  const specPath = join(dir, 'plugin.spec.yaml');
  const doc = parseSpecDocument(readFileSync(specPath, 'utf8')) as Doc;
  delete doc.actions.delete_incident;
  writeFileSync(specPath, dump(doc));
  const check = await generate(['--check', '--root', dir]);
  const write = await generate(['--root', dir]);
  const gone = {
    input: !existsSync(join(dir, 'schemas', 'actions', 'delete_incident', 'input.json')),
    dir: !existsSync(join(dir, 'schemas', 'actions', 'delete_incident')),
    validator: !existsSync(join(dir, 'src', 'generated', 'validators', 'actions', 'delete_incident.ts')),
  };
  return { check, write, gone };
});

const badSpec = scenario(async () => {
  const dir = copyProject();
  const specPath = join(dir, 'plugin.spec.yaml');
  writeFileSync(specPath, readFileSync(specPath, 'utf8').replace('    type: credential_secret_key\n', '    type: credential\n'));
  return generate(['--check', '--root', dir]);
});

const conventionBroken = scenario(async () => {
  const dir = copyProject();
  const specPath = join(dir, 'plugin.spec.yaml');
  const text = readFileSync(specPath, 'utf8');
  const broken = text.replace('    description: Body of the note\n', '    description: Body of the note.\n');
  if (broken === text) throw new Error('the add_note notes description was not found in plugin.spec.yaml');
  writeFileSync(specPath, broken);
  const helpBefore = readFileSync(join(dir, 'help.md'), 'utf8');
  const write = await generate(['--root', dir]);
  return { write, helpUnchanged: readFileSync(join(dir, 'help.md'), 'utf8') === helpBefore };
});

t.test('--check passes on fresh files: the committed ones are up to date', async (t) => {
  const run = await realRoot;
  t.equal(run.code, 0, 'npm run generate -- --check passes on the project itself', { stderr: run.stderr });
  t.match(run.stdout, 'up to date');
  t.equal(run.stderr, '');
});

t.test('an edited or a missing generated file is named, and a plain run rewrites it', async (t) => {
  const { check, write, restored, recheck } = await editedFiles;
  t.not(check.code, 0, '--check fails');
  t.same(staleLines(check.stderr), [EDITED, `${TYPES} (missing)`].sort(), 'exactly the edited and the missing file are named');
  t.match(check.stderr, 'npm run generate', 'says how to fix it');
  t.equal(write.code, 0, 'a plain run succeeds', { stderr: write.stderr });
  t.same(write.stdout.trim().split('\n').sort(), [`wrote ${EDITED}`, `wrote ${TYPES}`].sort(), 'and writes only those files');
  t.ok(restored, 'the files are back to what the spec makes');
  t.equal(recheck.code, 0, 'a following --check passes', { stderr: recheck.stderr });
  t.match(recheck.stdout, 'up to date');
});

t.test('a changed spec (named with --spec) names the stale files', async (t) => {
  const { expected, check, write, help } = await specChange;
  for (const file of [join('schemas', 'actions', 'add_note', 'input.json'), TYPES, 'help.md']) {
    t.ok(expected.includes(file), `a changed input description makes ${file} stale`);
  }
  for (const file of [join('schemas', 'actions', 'add_note', 'output.json'), join('schemas', 'connection.json'), join('schemas', 'actions', 'create_incident', 'input.json')]) {
    t.notOk(expected.includes(file), `${file} does not depend on it`);
  }
  t.not(check.code, 0, '--check fails');
  t.match(check.stderr, OTHER_SPEC, 'the message names the spec');
  t.same(staleLines(check.stderr), expected, 'every stale file is named, and nothing else');
  t.equal(write.code, 0, { stderr: write.stderr });
  t.same(write.stdout.trim().split('\n').sort(), expected.map((f) => `wrote ${f}`), 'a plain run writes them');
  t.match(help, NEW_DESCRIPTION, 'the rewritten help has the new description');
});

t.test('the leftover files of a removed action are reported, then removed', async (t) => {
  const { check, write, gone } = await removedAction;
  t.not(check.code, 0);
  const stale = staleLines(check.stderr);
  for (const file of [
    join('schemas', 'actions', 'delete_incident', 'input.json'),
    join('schemas', 'actions', 'delete_incident', 'output.json'),
    join('src', 'generated', 'validators', 'actions', 'delete_incident.ts'),
  ]) {
    t.ok(stale.includes(`${file} (no longer generated)`), `${file} is reported as no longer generated`, { stale });
  }
  for (const file of ['help.md', TYPES, join('src', 'generated', 'validators', 'index.ts'), join('src', 'generated', 'manifest.ts')]) {
    t.ok(stale.includes(file), `${file} is stale`);
  }
  t.equal(write.code, 0, { stderr: write.stderr });
  t.match(write.stdout, `removed ${join('schemas', 'actions', 'delete_incident', 'input.json')}`);
  t.ok(gone.input, 'the old schema is gone');
  t.ok(gone.validator, 'the old validator is gone');
  t.ok(gone.dir, 'and so is its emptied directory');
});

t.test('a spec with problems fails with the problem, not a stack trace', async (t) => {
  const run = await badSpec;
  t.equal(run.code, 1);
  t.match(run.stderr, 'connection.credentials.type');
  t.match(run.stderr, "unknown type 'credential'");
  t.notMatch(run.stderr, '    at ', 'no stack trace');
});

t.test("a spec that breaks Rapid7's conventions is not generated from, and the problem is named", async (t) => {
  const { write, helpUnchanged } = await conventionBroken;
  t.equal(write.code, 1);
  t.match(write.stderr, "breaks 1 of Rapid7's plugin conventions");
  t.match(write.stderr, 'actions.add_note.input.notes.description: ends with a period');
  t.ok(helpUnchanged, 'nothing was written');
});
