/**
 * `run --message FILE` (or the file PLUGIN_MESSAGE_FILE names) reads the start message from a
 * file instead of stdin, so a detached container can take it from a mounted secret; a file
 * that cannot be read is a usage error that names it.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionStart, HELLO_CLI, ROOT, SECRET } from './helpers.js';


const dir = mkdtempSync(join(tmpdir(), 'message-file-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: NodeJS.ProcessEnv = {}, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HELLO_CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const file = join(dir, 'start.json');
writeFileSync(file, JSON.stringify(actionStart({ name: 'Ada' })));

t.test('--message FILE: the step runs from the file; stdin is not read', async (t) => {
  const r = await run(['run', '--message', file], {}, 'not json at all');
  t.equal(r.code, 0, 'exit 0');
  t.match(JSON.parse(r.stdout), { type: 'action_event', body: { status: 'ok', output: { message: 'Hello, Ada!' } } });
  t.notOk(r.stdout.includes(SECRET) || r.stderr.includes(SECRET), 'the secret in the file is not shown');
});

t.test('PLUGIN_MESSAGE_FILE names the file; --message wins over it', async (t) => {
  const r = await run(['run'], { PLUGIN_MESSAGE_FILE: file });
  t.equal(r.code, 0, 'exit 0');
  t.match(JSON.parse(r.stdout), { body: { output: { message: 'Hello, Ada!' } } });
  const other = join(dir, 'other.json');
  writeFileSync(other, JSON.stringify(actionStart({ name: 'Grace' })));
  const both = await run(['run', '--message', other], { PLUGIN_MESSAGE_FILE: file });
  t.match(JSON.parse(both.stdout), { body: { output: { message: 'Hello, Grace!' } } });
});

t.test('a file that cannot be read: a usage error naming it, exit 2', async (t) => {
  const missing = join(dir, 'missing.json');
  const r = await run(['run', '--message', missing]);
  t.equal(r.code, 2);
  t.match(r.stderr, new RegExp(`--message: cannot read the start message file ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(ENOENT\\)`));
  t.match(JSON.parse(r.stdout), { body: { status: 'error' } }, 'and one error envelope on stdout');
  const env = await run(['run'], { PLUGIN_MESSAGE_FILE: dir });
  t.equal(env.code, 2);
  t.match(env.stderr, /PLUGIN_MESSAGE_FILE: cannot read the start message file .* \(EISDIR\)/);
});

t.test('a file that is not JSON is named as the file in the error envelope', async (t) => {
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"version": ');
  const r = await run(['run', '--message', broken]);
  t.equal(r.code, 1);
  t.match(JSON.parse(r.stdout), { body: { status: 'error', error: /the message file is not valid JSON/ } });
});
